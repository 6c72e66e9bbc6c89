"""The registry of units: the authority at the root, its departments, public-service units,
communes and towns below; the names each provincial system spells them with; who may see what."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .choices import AuthorityLevel, Role, SourceSystem, SuccessionKind, UnitKind
from .text import fold


class Unit(models.Model):
    """One organisation that is scored, responsible for criteria, or named in an export."""

    name = models.CharField("tên đơn vị", max_length=200, unique=True)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="đơn vị cấp trên", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class UnitCode(models.Model):
    """The code a provincial system uses for a unit (e.g. QLVB ID 122 for Phòng Y tế)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="codes", verbose_name="đơn vị")
    system = models.CharField("hệ thống", max_length=20, choices=SourceSystem.choices)
    code = models.CharField("mã", max_length=50)

    class Meta:
        verbose_name = "mã đơn vị trên hệ thống"
        verbose_name_plural = "mã đơn vị trên hệ thống"
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="unique_unit_code_per_system")]

    def __str__(self):
        return f"{self.get_system_display()} {self.code}: {self.unit}"


class UnitAlias(models.Model):
    """Another spelling of a unit's name, as exports and letters write it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name="đơn vị")
    name = models.CharField("tên gọi khác", max_length=200)
    folded = models.CharField("dạng so khớp", max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = "tên gọi khác"
        verbose_name_plural = "tên gọi khác"
        constraints = [models.UniqueConstraint(fields=["unit", "folded"], name="unique_alias_per_unit")]

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.name} → {self.unit}"


class Membership(models.Model):
    """A user's role; a unit head is bound to exactly one unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="người dùng",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name="đơn vị",
    )

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.UNIT_HEAD) | models.Q(unit__isnull=False),
                name="unit_head_has_unit",
            )
        ]

    def clean(self):
        if self.role == Role.UNIT_HEAD and self.unit_id is None:
            raise ValidationError({"unit": "Thủ trưởng đơn vị phải gắn với một đơn vị."})

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def target_problems(targets) -> list[str]:
    """What is wrong with a metric_targets value, in words for the admin (empty when nothing)."""
    from documents.metrics import METRICS, RATE

    if not isinstance(targets, dict):
        return ["Chỉ tiêu phải là một bảng {chỉ số: {loại đơn vị: giá trị}}."]
    problems = []
    kinds = {"*", *UnitKind.values}
    for key, by_kind in targets.items():
        if key not in METRICS or METRICS[key].kind != RATE:
            problems.append(f"«{key}» không phải là chỉ số tỷ lệ trong danh mục.")
            continue
        if not isinstance(by_kind, dict) or not by_kind:
            problems.append(f"Chỉ tiêu của «{key}» phải ghi theo loại đơn vị, ví dụ {{\"*\": \"60\"}}.")
            continue
        for kind, value in by_kind.items():
            if kind not in kinds:
                problems.append(f"«{kind}» (chỉ tiêu {key}) không phải là loại đơn vị; dùng «*» hoặc {', '.join(UnitKind.values)}.")
                continue
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or not 0 <= number <= 100:
                problems.append(f"Chỉ tiêu {key} cho «{kind}» phải là số phần trăm từ 0 đến 100, không phải «{value}».")
    return problems


class Authority(models.Model):
    """The authority at the root of a unit tree and what its letters print: heading, place, signers.

    Its own model rather than fields on Unit: only a root unit has these, and a letter needs them
    all together; a registry of hundreds of units carries no empty heading fields."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="authority", verbose_name="đơn vị gốc (cơ quan chấm điểm)",
    )
    level = models.CharField("cấp", max_length=20, choices=AuthorityLevel.choices)
    # The word the letters put before the place: "huyện", "tỉnh", "thị xã", "xã".
    division = models.CharField("loại đơn vị hành chính", max_length=30)
    place = models.CharField("địa danh", max_length=100, help_text="Ghi ở dòng địa danh, ngày tháng và trong lời văn.")
    province = models.CharField("tỉnh", max_length=100)
    short_name = models.CharField("tên viết tắt trong văn bản", max_length=100, help_text="Ví dụ: UBND huyện")
    agency_lines = models.JSONField("tên cơ quan ở góc trái", default=list,
                                    help_text='Ví dụ: ["ỦY BAN NHÂN DÂN", "HUYỆN VĨNH LINH"]')
    symbols = models.JSONField("ký hiệu văn bản theo loại", default=dict, blank=True,
                               help_text='Ví dụ: {"cchc-remediation": "UBND-NV"}; loại không ghi dùng ký hiệu mặc định.')
    # What the letters' wording says of the units below and beside the authority. The defaults
    # are a district's (the seeds' wording), so an authority saved before these fields reads as before.
    subordinates_phrase = models.CharField(
        "các đơn vị cấp dưới trong văn bản", max_length=100, default="UBND các xã, thị trấn",
        help_text="Ví dụ: UBND các xã, thị trấn (huyện); UBND các xã, phường (tỉnh).")
    rank_scope = models.CharField(
        "xếp hạng trong số", max_length=150, default="huyện, thị xã, thành phố trên địa bàn tỉnh",
        help_text="Sau «xếp thứ N». Ví dụ: tỉnh, thành phố trực thuộc Trung ương.")
    peers_short = models.CharField(
        "xếp hạng trong số (viết gọn)", max_length=100, default="huyện, thị",
        help_text="Sau «xếp thứ N» trong kế hoạch và công văn TTHC. Ví dụ: tỉnh, thành.")
    chairman = models.CharField("Chủ tịch", max_length=100, blank=True)
    vice_chairman = models.CharField("Phó Chủ tịch ký thay", max_length=100, blank=True)
    home_affairs_office = models.CharField(
        "cơ quan nội vụ tham mưu", max_length=100, default="Phòng Nội vụ",
        help_text="Cơ quan được giao theo dõi trong lời văn. Ví dụ: Phòng Nội vụ (huyện); Sở Nội vụ (tỉnh).")
    # The seeds' words that no field above covers and that differ by tier: what a district calls
    # its departments ("phòng chuyên môn"), its military command, its land registry branch. Each
    # entry replaces the seed's words in the letters' defaults (reports.wording.localise); an
    # authority with none reads the seeds' words (the district's).
    phrases = models.JSONField(
        "cách gọi riêng trong văn bản", default=dict, blank=True,
        help_text='Từ ngữ của văn bản mẫu (cấp huyện) → cách gọi của cơ quan này. Ví dụ (tỉnh): '
                  '{"phòng chuyên môn": "sở, ban, ngành", "Ban chỉ huy Quân sự huyện": "Bộ Chỉ huy Quân sự tỉnh"}.')
    # The targets the authority sets its units, in percent, per rate metric and, where they differ,
    # per kind of unit ("*" for every kind): the pages mark the units below them.
    metric_targets = models.JSONField(
        "chỉ tiêu theo chỉ số (%)", default=dict, blank=True,
        help_text='Ví dụ: {"tthc_online_rate": {"*": "60", "commune": "70"}}: khóa là chỉ số tỷ lệ, '
                  '"*" áp dụng cho mọi loại đơn vị, các khóa khác cho một loại đơn vị.')
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "cơ quan chấm điểm"
        verbose_name_plural = "cơ quan chấm điểm"

    def clean(self):
        if self.unit_id and self.unit.parent_id is not None:
            raise ValidationError({"unit": "Cơ quan chấm điểm phải là đơn vị gốc (không có đơn vị cấp trên)."})
        problems = target_problems(self.metric_targets)
        if problems:
            raise ValidationError({"metric_targets": problems})
        if not isinstance(self.phrases, dict) or not all(
                isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in self.phrases.items()):
            raise ValidationError({"phrases": "Cách gọi riêng phải là một bảng {\"từ ngữ mẫu\": \"cách gọi\"}."})

    def target_for(self, key: str, kind: str) -> Decimal | None:
        """The target (percent) of rate metric ``key`` for a unit of ``kind``; None when none is set."""
        targets = (self.metric_targets or {}).get(key) or {}
        value = targets.get(kind, targets.get("*"))
        return None if value in (None, "") else Decimal(str(value))

    def __str__(self):
        return self.unit.name


class UnitSuccession(models.Model):
    """Units merged, split or renamed on a date: predecessors → successors.

    Nothing of the predecessors is rewritten: their scores and metrics stay theirs, and they stay
    in the registry (inactive from the date) so that old files still name them. units.succession
    rolls their figures up into the successors for trends."""

    kind = models.CharField("hình thức", max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField("có hiệu lực từ ngày")
    legal_basis = models.CharField("căn cứ pháp lý", max_length=300, blank=True)
    predecessors = models.ManyToManyField(Unit, related_name="succeeded_by", verbose_name="đơn vị trước")
    successors = models.ManyToManyField(Unit, related_name="preceded_by", verbose_name="đơn vị sau")
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "sắp xếp đơn vị"
        verbose_name_plural = "sắp xếp đơn vị"
        ordering = ["effective_date", "id"]

    def __str__(self):
        before = ", ".join(u.name for u in self.predecessors.all())
        after = ", ".join(u.name for u in self.successors.all())
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}: {before} → {after}"
