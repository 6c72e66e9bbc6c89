from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Chấm điểm"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from common import memo
        from documents.models import ImportBatch, MetricValue
        from units.models import Authority, Unit, UnitSuccession

        from . import models

        # What the memoised figures (dashboard cards, ranks, whole-tree rates) are computed from. A
        # write to any of them, through save() or delete() (pages, admin, loaddata), makes them stale.
        watched = (models.Score, models.Assessment, models.AssessmentStage, models.Criterion, models.CriteriaSet,
                   models.CriterionResponsibility, models.Period, Unit, Authority, UnitSuccession, ImportBatch,
                   MetricValue)
        for model in watched:
            post_save.connect(memo.data_changed, sender=model, dispatch_uid=f"memo-save-{model._meta.label}")
            post_delete.connect(memo.data_changed, sender=model, dispatch_uid=f"memo-delete-{model._meta.label}")
        m2m_changed.connect(memo.data_changed, sender=models.Score.responsible_units.through,
                            dispatch_uid="memo-score-units")
