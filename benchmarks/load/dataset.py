"""A province-sized data set for the load benchmark, written with bulk_create, and signed-in sessions.

10 districts × 40 units (30 communes, 10 departments) = 400 units; 3 periods; two criteria sets of 60
criteria (6 areas × 9 scored criteria; every fifth scored from a metric); an assessment of every unit in
every period with a score for every criterion (a tenth of them deducted, with a comment and the unit
answering for it); metrics of three sources for every unit in every period.

Run as ``python -m benchmarks.load.dataset`` with DATABASE_URL naming the benchmark's own database: it
migrates, builds, and prints one JSON object (sizes, the pages to ask for, each client's session cookie)."""

import json
import sys
from datetime import date
from decimal import Decimal

DISTRICTS = 10
COMMUNES_PER_DISTRICT = 30
DEPARTMENTS_PER_DISTRICT = 10
AREAS = 6
PER_AREA = 9
PERIODS = (("2023-H1", "half_year", date(2022, 12, 15), date(2023, 6, 14)),
           ("2023", "year", date(2022, 12, 15), date(2023, 12, 14)),
           ("2024-H1", "half_year", date(2023, 12, 15), date(2024, 6, 14)))
SOURCES = {
    "incoming": ("incoming_total", "incoming_replied", "incoming_closed", "incoming_pending"),
    "outgoing": ("outgoing_total", "outgoing_electronic", "outgoing_signed", "outgoing_leader_signed"),
    "online_services": ("dvc_full_dossiers", "dvc_full_online_dossiers", "dvc_partial_dossiers",
                        "dvc_partial_online_dossiers"),
}
FORMULA = {"type": "rate", "numerator": ["outgoing_signed"], "denominator": ["outgoing_total"]}


def build() -> dict:
    from scoring.choices import Level, Method, SetKind, SubjectKind
    from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
    from units.choices import UnitKind
    from units.models import Unit

    province = Unit.objects.create(name="UBND tỉnh Thử Tải", kind=UnitKind.AUTHORITY)
    districts = Unit.objects.bulk_create([
        Unit(name=f"UBND huyện Thử {d:02d}", kind=UnitKind.AUTHORITY, parent=province, sort_order=d)
        for d in range(DISTRICTS)
    ])
    units = Unit.objects.bulk_create([
        Unit(name=f"UBND xã Thử {d:02d}-{c:02d}", short_name=f"Xã {d:02d}-{c:02d}", kind=UnitKind.COMMUNE,
             parent=district, sort_order=1000 + d * 100 + c)
        for d, district in enumerate(districts) for c in range(COMMUNES_PER_DISTRICT)
    ] + [
        Unit(name=f"Phòng Thử {d:02d}-{p:02d}", kind=UnitKind.DEPARTMENT, parent=district, sort_order=100 + d * 100 + p)
        for d, district in enumerate(districts) for p in range(DEPARTMENTS_PER_DISTRICT)
    ])
    periods = Period.objects.bulk_create([
        Period(code=code, name=f"Kỳ {code}", kind=kind, year=end.year, start=start, end=end)
        for code, kind, start, end in PERIODS
    ])
    sets = {kind: _criteria_set(code, kind, Level, Method, SetKind, CriteriaSet, Criterion)
            for code, kind in (("XA-THU-TAI", SubjectKind.COMMUNE), ("PB-THU-TAI", SubjectKind.DEPARTMENT))}
    assessments = Assessment.objects.bulk_create([
        Assessment(criteria_set=sets[SubjectKind.COMMUNE if u.kind == UnitKind.COMMUNE else SubjectKind.DEPARTMENT][0],
                   period=p, subject=u)
        for p in periods for u in units
    ])
    scores, answered = [], []
    for a_index, assessment in enumerate(assessments):
        _, leaves = sets[SubjectKind.COMMUNE if assessment.subject.kind == UnitKind.COMMUNE else SubjectKind.DEPARTMENT]
        for c_index, criterion in enumerate(leaves):
            deducted = (a_index + c_index) % 10 == 0
            appraised = criterion.max_score - Decimal("0.25") if deducted else criterion.max_score
            scores.append(Score(assessment=assessment, criterion=criterion, self_score=criterion.max_score,
                                appraised_score=appraised,
                                comment="Chưa có tài liệu kiểm chứng đầy đủ." if deducted else ""))
            answered.append(deducted)
    Score.objects.bulk_create(scores, batch_size=5000)
    Through = Score.responsible_units.through
    Through.objects.bulk_create([
        Through(score_id=s.pk, unit_id=s.assessment.subject_id) for s, d in zip(scores, answered) if d
    ], batch_size=5000)
    metric_values = _metrics(units, periods)
    return {"units": len(units), "districts": len(districts), "periods": len(periods),
            "criteria_per_set": len(sets[SubjectKind.COMMUNE][1]) + AREAS, "assessments": len(assessments),
            "scores": len(scores), "metric_values": metric_values,
            "unit_ids": [u.pk for u in units], "commune_ids": [u.pk for u in units if u.kind == UnitKind.COMMUNE],
            "assessment_ids": [a.pk for a in assessments], "period_codes": [p.code for p in periods]}


def _criteria_set(code, kind, Level, Method, SetKind, CriteriaSet, Criterion):
    criteria_set = CriteriaSet.objects.create(code=code, name=f"Bộ tiêu chí thử tải {code}", kind=SetKind.CCHC,
                                              year=2023, subject_kind=kind)
    areas = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, code=str(a + 1), name=f"Lĩnh vực {a + 1}", level=Level.AREA,
                  max_score=Decimal(PER_AREA * 2), position=(a + 1) * 1000)
        for a in range(AREAS)
    ])
    leaves = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, parent=areas[a], code=f"{a + 1}.{i + 1}",
                  name=f"Tiêu chí {a + 1}.{i + 1}: thực hiện đầy đủ nhiệm vụ theo kế hoạch", level=Level.CRITERION,
                  max_score=Decimal(2), position=(a + 1) * 1000 + i + 1,
                  method=Method.METRIC if i % 5 == 0 else Method.MANUAL, formula=FORMULA if i % 5 == 0 else {})
        for a in range(AREAS) for i in range(PER_AREA)
    ])
    return criteria_set, leaves


def _metrics(units, periods) -> int:
    from documents.models import ImportBatch, MetricValue

    count = 0
    for p_index, period in enumerate(periods):
        for source, keys in SOURCES.items():
            batch = ImportBatch.objects.create(file_name=f"{period.code}_{source}.xlsx", source=source, period=period,
                                               sha256=f"{period.code}{source}".encode().hex()[:64].ljust(64, "0"))
            rows = []
            for u_index, unit in enumerate(units):
                total = 200 + (u_index * 37 + p_index * 11) % 500
                for k_index, key in enumerate(keys):
                    share = 100 if k_index == 0 else 40 + (u_index * 7 + p_index * 3 + k_index * 13) % 60
                    rows.append(MetricValue(batch=batch, unit=unit, period=period, key=key,
                                            value=Decimal(total * share // 100)))
            MetricValue.objects.bulk_create(rows, batch_size=5000)
            count += len(rows)
    return count


def sessions(clients: int, commune_ids: list[int]) -> list[dict]:
    """Half the clients are Phòng Nội vụ reviewers, half heads of a commune; each signed in once."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from units.choices import Role
    from units.models import Membership

    User = get_user_model()
    out = []
    for i in range(clients):
        head = i % 2 == 1
        user = User.objects.create_user(f"tai-{i:03d}", password=None)
        unit_id = commune_ids[i * 7 % len(commune_ids)] if head else None
        Membership.objects.create(user=user, role=Role.UNIT_HEAD if head else Role.REVIEWER, unit_id=unit_id)
        client = Client()
        client.force_login(user)
        out.append({"role": "unit_head" if head else "reviewer", "unit_id": unit_id,
                    "cookie": f"sessionid={client.cookies['sessionid'].value}"})
    return out


def main(clients: int) -> None:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    size = build()
    from scoring.models import Assessment

    own = {a.subject_id: a.pk for a in Assessment.objects.filter(period__code=PERIODS[-1][0])}
    users = sessions(clients, size["commune_ids"])
    for user in users:
        if user["unit_id"]:
            user["assessment_id"] = own[user["unit_id"]]
    size["sessions"] = users
    size["database"] = connection.vendor
    del size["commune_ids"]
    json.dump(size, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
