"""Forms of the letter pages: start a draft, edit its free text, and report on remediation tasks.

The edit form shows every value the letter prints with today's defaults filled in; what the reviewer
leaves equal to the default is not stored, so that the figures of untouched paragraphs stay live."""

from copy import deepcopy
from dataclasses import dataclass

from django import forms

from common.numbers import parse_number
from documents.metrics import METRICS
from scoring.choices import TaskStatus
from scoring.models import CriteriaSet, Period
from units.access import authority_root
from units.models import Unit

from . import wording
from .choices import LetterKind
from .document import LetterDocument
from .facts import LetterError
from .services import drafting_authority, normalise, paragraph_texts, parse_deadline

TEXTAREA = {"rows": 3, "class": "wide"}


class LetterCreateForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=LetterKind.choices)
    period = forms.ModelChoiceField(label="Kỳ", queryset=Period.objects.order_by("-year", "start", "code"),
                                    to_field_name="code", empty_label=None)
    criteria_set = forms.ModelChoiceField(
        label="Bộ tiêu chí", queryset=CriteriaSet.objects.order_by("-year", "code"), to_field_name="code",
        required=False, empty_label="(theo loại văn bản)",
        help_text="Chỉ cần chọn khi kỳ có nhiều bộ tiêu chí cùng loại.",
    )
    authority = forms.ModelChoiceField(
        label="Cơ quan ban hành", queryset=Unit.objects.filter(authority__isnull=False).order_by("authority__pk"),
        empty_label=None, required=False,
        help_text="Văn bản in tên, địa danh, người ký của cơ quan này và chỉ số liệu các đơn vị của cơ quan.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A reviewer bound to an authority drafts its letters only; with one authority there is no choice.
        bound = user is not None and not user.is_superuser and authority_root(user) is not None
        if bound or self.fields["authority"].queryset.count() < 2:
            del self.fields["authority"]
        else:
            self.fields["authority"].initial = drafting_authority(user)

    def chosen_authority(self):
        """The root unit the letter will speak for: the one chosen, else the user's (drafting_authority)."""
        return self.cleaned_data.get("authority") or drafting_authority(self.user)


@dataclass(frozen=True)
class Extra:
    """A figure of the draft's body that a kind reads (Letter.body at ``path``)."""

    path: tuple[str, ...]
    label: str
    help: str = ""
    number: bool = False  # a percentage or a count, checked as a number
    deadline: bool = False  # a date written dd/mm/yyyy, as the plan prints it
    default: str = ""  # what the letter uses when the draft says nothing

    @property
    def name(self) -> str:
        return "x_" + "__".join(self.path)


def letter_agency(letter) -> dict:
    """What ``letter`` prints of its issuing authority (wording.agency), found as its builder finds it
    (reports.facts.build_live): the root of its assessment's subject, or for a letter on a period's
    metrics, its authority (the units with figures in the period, for a row without one)."""
    from .facts import PERIOD_KINDS, letter_assessment
    from .metric_letters import letter_authority

    if letter.kind in PERIOD_KINDS:
        return wording.agency(letter_authority(letter), period=letter.period)
    return wording.agency(letter_assessment(letter).subject)


def _procedures_extras(agency: dict, defaults: dict) -> list[Extra]:
    from .metric_letters import PROCEDURE_KEYS, TARGET_WORDS, authority_targets

    extras = []
    for key in PROCEDURE_KEYS:
        # The body keeps the figures under "district" whatever the authority: the label is its own word.
        extras.append(Extra(("district", key), f"Số liệu của {agency['division']}: {METRICS[key].label}",
                            "Theo báo cáo của cấp trên; để trống nếu đã có trong số liệu nhập.", number=True))
        extras.append(Extra(("ranks", key), f"Xếp hạng: {METRICS[key].label}", "Ví dụ 5/10."))
    for group_key, group in defaults["targets"].items():
        stated = authority_targets(agency["targets"], group["kinds"])
        for key in TARGET_WORDS:
            extras.append(Extra(("targets", group_key, key), f"Chỉ tiêu {group['label']}: {TARGET_WORDS[key]} (%)",
                                number=True, default=str(stated.get(key, ""))))
    return extras


def kind_extras(kind: str, agency: dict) -> list[Extra]:
    """The figures each kind lets the reviewer set (thresholds, targets, ranks, deadlines…), labelled
    in the words of the letter's authority (``agency``, wording.agency)."""
    defaults = wording.letter_defaults(kind, agency)
    if kind == LetterKind.CCHC_REMEDIATION:
        return [Extra(("rank",), f"Xếp hạng trong số các {agency['rank_scope']}",
                      "Ví dụ 01/10; để trống để tính từ dữ liệu nếu có.")]
    if kind == LetterKind.REMEDIATION_PLAN:
        return [
            Extra(("class_label",), f"Xếp loại của {agency['division']} {agency['place']}",
                  "Ví dụ: Hoàn thành xuất sắc nhiệm vụ."),
            Extra(("rank",), "Xếp thứ", "Ví dụ 01/10."),
            Extra(("deadlines", "proposals"), "Hạn gửi đề xuất giải pháp", "Ngày/tháng/năm, mặc định 31/3 năm sau.",
                  deadline=True),
            Extra(("deadlines", "completion"), "Hạn hoàn thành khắc phục",
                  "Ngày/tháng/năm, mặc định 30/11 năm sau; là thời hạn của các nhiệm vụ khắc phục.", deadline=True),
        ]
    if kind == LetterKind.HTNV_ROUND:
        return [
            Extra(("round_words",), "Lần chấm (như văn bản viết)", "Ví dụ: lần 1."),
            Extra(("headline_group",), "Mã nhóm tiêu chí CNTT", default=defaults["headline_group"]),
            Extra(("headline_max",), "Điểm tối đa của nhóm", "Theo quyết định của tỉnh, ví dụ 20.", number=True),
            Extra(("documents_criterion",), "Mã tiêu chí xử lý hồ sơ công việc",
                  default=defaults["documents_criterion"]),
        ]
    if kind == LetterKind.DOCUMENT_PROCESSING:
        thresholds = defaults["thresholds"]
        labels = {"incoming_processed_rate": "Ngưỡng tỷ lệ xử lý văn bản đến (%)",
                  "outgoing_signed_rate": "Ngưỡng tỷ lệ ký số (%)",
                  "outgoing_leader_signed_rate": "Ngưỡng tỷ lệ lãnh đạo ký số (%)"}
        return [Extra(("thresholds", key), label, "Đơn vị dưới ngưỡng được nêu tên.", number=True,
                      default=thresholds[key]) for key, label in labels.items()]
    if kind == LetterKind.PROCEDURES:
        return _procedures_extras(agency, defaults)
    return []


def _get(body: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def _set(body: dict, path: tuple[str, ...], value) -> None:
    """Set ``value`` at ``path``; None removes it (and the dicts it leaves empty)."""
    *parents, last = path
    stack = [body]
    for key in parents:
        if not isinstance(stack[-1].get(key), dict):
            if value is None:
                return
            stack[-1][key] = {}
        stack.append(stack[-1][key])
    if value is None:
        stack[-1].pop(last, None)
        for depth in range(len(parents), 0, -1):  # drop containers that became empty
            if not stack[depth]:
                stack[depth - 1].pop(parents[depth - 1], None)
    else:
        stack[-1][last] = value


def _lines(text: str) -> list[str]:
    """One item a line; the "- " and ";"/"." the renderer adds are not part of the item."""
    items = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in (text or "").splitlines()]
    return [item for item in items if item]


def _plain(items) -> list[str]:
    return _lines("\n".join(items or []))


class LetterEditForm(forms.Form):
    """The draft's free text and figures. Built from the letter and two documents: the letter as it
    reads now (``current``) and as it would read with no edits (``default``). Its defaults (recipients,
    distribution, signature, signer) and labels are those of the letter's own authority
    (letter_agency), in its words (wording.letter_defaults), as the letter prints them: a province's
    letter shows the province's recipients and signer, never the registry's first authority's."""

    number = forms.CharField(label="Số", max_length=40, required=False,
                             help_text="Để trống: hệ thống văn bản cấp số khi ban hành.")
    date = forms.DateField(label="Ngày ban hành", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           help_text="Để trống nếu chưa biết; có thể chỉ ghi tháng và năm bên dưới.")
    date_month = forms.IntegerField(label="Tháng (khi chưa có ngày)", min_value=1, max_value=12, required=False)
    date_year = forms.IntegerField(label="Năm (khi chưa có ngày)", min_value=2000, max_value=2100, required=False)
    subject = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 2, "class": "wide"}))
    recipients = forms.CharField(label="Kính gửi", required=False, widget=forms.Textarea(attrs=TEXTAREA),
                                 help_text="Mỗi dòng một nơi; dấu «-», «;» và «.» được thêm khi in.")
    distribution = forms.CharField(label="Nơi nhận", widget=forms.Textarea(attrs={"rows": 4, "class": "wide"}),
                                   help_text="Mỗi dòng một nơi; dòng cuối thường là «Lưu: VT, NV».")
    signature_lines = forms.CharField(label="Thẩm quyền ký", widget=forms.Textarea(attrs={"rows": 3, "class": "wide"}),
                                      help_text="Ví dụ: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, mỗi dòng một.")
    signer = forms.CharField(label="Người ký", max_length=100)

    def __init__(self, *args, letter, current: LetterDocument, default: LetterDocument, **kwargs):
        self.letter = letter
        agency = letter_agency(letter)
        self.defaults = wording.letter_defaults(letter.kind, agency)
        self.default_doc = default
        body = letter.body or {}
        self.default_texts = paragraph_texts(default)
        overrides = body.get("paragraphs") or {}
        self.paragraph_keys = list(self.default_texts) + [k for k in overrides if k not in self.default_texts]
        date_given = body.get("date") or {}
        initial = {
            "number": letter.number,
            "date": letter.date,
            "date_month": date_given.get("month") or None,
            "date_year": date_given.get("year") or None,
            "subject": current.subject_lines[0] if current.subject_lines else "",
            "recipients": "\n".join(letter.recipients or self.defaults["recipients"]),
            "distribution": "\n".join(_plain(body.get("distribution") or self.defaults["distribution"])),
            "signature_lines": "\n".join(current.signature_lines),
            "signer": current.signer_name,
        }
        self.default_signer = agency[self.defaults["signer"]]
        super().__init__(*args, initial=initial, **kwargs)
        if not self.defaults["recipients"] and not letter.recipients:
            del self.fields["recipients"]  # a plan has no Kính gửi
        self.extras = kind_extras(letter.kind, agency)
        for extra in self.extras:
            given = _get(body, extra.path)
            self.fields[extra.name] = forms.CharField(label=extra.label, help_text=extra.help, required=False,
                                                      max_length=200)
            self.initial[extra.name] = given if given not in (None, "") else extra.default
        styles = {}
        for block in default.blocks:
            styles.setdefault(block.key, block.style)
        self.paragraph_fields = []
        for index, key in enumerate(self.paragraph_keys, start=1):
            name = f"p_{key}"
            heading = styles.get(key) == "heading"
            self.fields[name] = forms.CharField(
                label=f"Đoạn {index}" + (" (tiêu đề mục)" if heading else ""), required=False,
                widget=forms.Textarea(attrs={"rows": 2 if heading else 5, "class": "wide"}),
            )
            self.initial[name] = overrides[key] if key in overrides else self.default_texts.get(key, "")
            self.paragraph_fields.append(name)

    @property
    def extra_field_names(self) -> list[str]:
        return [extra.name for extra in self.extras]

    def clean(self):
        data = super().clean()
        for extra in self.extras:
            value = (data.get(extra.name) or "").strip()
            data[extra.name] = value
            if not value:
                continue
            try:
                if extra.number and parse_number(value) is None:
                    raise ValueError
                if extra.deadline:
                    parse_deadline(value)
            except ValueError:
                self.add_error(extra.name, f"«{value}» không phải là số.")
            except LetterError as exc:
                self.add_error(extra.name, str(exc))
        return data

    def letter_fields(self) -> dict:
        """The Letter columns to store; a value equal to the default is stored blank (stays live)."""
        data = self.cleaned_data
        subject = normalise(data["subject"])
        default_subject = normalise(self.default_doc.subject_lines[0]) if self.default_doc.subject_lines else ""
        signer = data["signer"].strip()
        fields = {
            "number": data["number"].strip(),
            "date": data["date"],
            "subject": "" if subject == default_subject else subject,
            "signer": "" if signer == self.default_signer else signer,
        }
        if "recipients" in self.fields:
            recipients = _lines(data["recipients"])
            fields["recipients"] = [] if recipients == _plain(self.defaults["recipients"]) else recipients
        return fields

    def body(self) -> dict:
        """The draft's body: the stored one with the form's values set, defaults left out."""
        data = self.cleaned_data
        body = deepcopy(self.letter.body or {})
        paragraphs = {}
        for key in self.paragraph_keys:
            text = normalise(data.get(f"p_{key}", ""))
            if key not in self.default_texts or text != normalise(self.default_texts[key]):
                paragraphs[key] = text
        _set(body, ("paragraphs",), paragraphs or None)
        distribution = _lines(data["distribution"])
        _set(body, ("distribution",), None if distribution == _plain(self.defaults["distribution"]) else distribution)
        lines = [line.strip() for line in data["signature_lines"].splitlines() if line.strip()]
        _set(body, ("signature", "lines"), None if lines == list(self.defaults["signature"]) else lines)
        partial = {"month": data.get("date_month"), "year": data.get("date_year")}
        _set(body, ("date",), {k: v for k, v in partial.items() if v} or None)
        for extra in self.extras:
            value = data[extra.name]
            _set(body, extra.path, None if value in ("", extra.default) else value)
        return body


class TaskProgressForm(forms.Form):
    """What a unit head (or a reviewer) reports on a task."""

    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    progress = forms.CharField(label="Tiến độ", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label="Tài liệu kiểm chứng", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text="Số, ngày văn bản hoặc đường dẫn tài liệu chứng minh đã khắc phục.")


class TaskPlanForm(TaskProgressForm):
    """A reviewer may also change what the task asks and by when."""

    action = forms.CharField(label="Nội dung khắc phục", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="Thời hạn", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class IssueForm(forms.Form):
    """Issue a draft: the number and date the document system gave it (reports.freezing.issue_letter)."""

    number = forms.CharField(label="Số ký hiệu", max_length=40,
                             error_messages={"required": "Cần nhập số văn bản do hệ thống văn bản cấp."})
    date = forms.DateField(label="Ngày ban hành", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": "Cần nhập ngày ban hành.",
                                           "invalid": "Ngày ban hành không hợp lệ (dd/mm/yyyy)."})


class CorrectionForm(forms.Form):
    """A new version of an issued letter (reports.freezing.correct_letter): a reason always; a new
    number or date when the correction is issued under them."""

    reason = forms.CharField(label="Lý do ban hành lại / đính chính", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "wide"}),
                             error_messages={"required": "Cần ghi lý do ban hành lại / đính chính văn bản."})
    number = forms.CharField(label="Số ký hiệu mới", max_length=40, required=False,
                             help_text="Để trống: giữ số của phiên bản trước.")
    date = forms.DateField(label="Ngày ban hành mới", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           help_text="Để trống: giữ ngày của phiên bản trước.",
                           error_messages={"invalid": "Ngày ban hành không hợp lệ (dd/mm/yyyy)."})
