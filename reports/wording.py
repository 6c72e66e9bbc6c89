"""Default wording of each kind of letter, adapted from the seeds (fixtures/seeds/001 and 004).

Each block is (key, style, text). The text is a str.format template filled with figures from the
facts; ``**…**`` marks bold and ``*…*`` italic. A reviewer's text for a key (Letter.body
["paragraphs"][key]) replaces the default as written, and a blank line in it starts a new paragraph.
Anything that names another document (a Thông báo, a Quyết định) is left out of the defaults,
since only the reviewer knows it; the legal basis of a criteria set comes from the set itself."""

import re

from units.choices import AuthorityLevel


def agency(unit=None, *, period=None) -> dict:
    """What a letter prints of its issuing authority: the units.Authority at the root of ``unit``'s
    tree (the assessment's subject, or a period letter's own authority, Letter.authority), or, for a
    build with no authority (an older row, the command line), of the units with figures in the
    period; else the registry's first authority. Every value is data (the
    Vĩnh Linh ones are in fixtures/units/vinh_linh.json), none is written here.

    Keys: root_id (the root unit's id), subject (the root unit's name), lines, short, district (the
    place named in the wording), place, province, division, level, chairman, vice_chairman, symbols,
    subordinates, rank_scope, peers_short, home_affairs, phrases, targets (Authority.metric_targets)."""
    from units.models import Authority

    found = None
    if unit is not None:
        found = Authority.objects.filter(unit_id=_root_id(unit)).select_related("unit").first()
    elif period is not None:
        found = _authority_of_period(period)
    if found is None:
        found = Authority.objects.select_related("unit").order_by("pk").first()
    if found is None:
        from .facts import LetterError  # facts imports this module; the error is the letters' own

        raise LetterError(
            "Chưa khai báo cơ quan chấm điểm (Cơ quan chấm điểm trong trang quản trị, hoặc khối "
            "\"authority\" của tệp danh mục đơn vị): văn bản cần tên cơ quan, địa danh và người ký."
        )
    return {
        "root_id": found.unit_id,  # whose figures the letter reads (metric_letters.unit_metrics)
        "subject": found.unit.name,
        "lines": list(found.agency_lines),
        "short": found.short_name,
        "district": found.place,
        "place": found.place,
        "province": found.province,
        "division": found.division,
        "level": found.level,
        "chairman": found.chairman,
        "vice_chairman": found.vice_chairman,
        "symbols": dict(found.symbols or {}),
        "subordinates": found.subordinates_phrase,
        "rank_scope": found.rank_scope,
        "peers_short": found.peers_short,
        "home_affairs": found.home_affairs_office,
        "phrases": dict(found.phrases or {}),
        "targets": dict(found.metric_targets or {}),
    }


def _root_id(unit) -> int:
    """The id of the root of ``unit``'s tree (one query per level; registries are 2–4 levels deep)."""
    from units.models import Unit

    unit_id, parent_id = unit.pk, unit.parent_id
    while parent_id is not None:
        unit_id, parent_id = Unit.objects.filter(pk=parent_id).values_list("pk", "parent_id").get()
    return unit_id


def _authority_of_period(period):
    """The one authority whose units have metric values in the period, if there is exactly one."""
    from documents.models import MetricValue
    from units.access import root_ids
    from units.models import Authority

    roots = set(root_ids(MetricValue.objects.filter(period=period).values_list("unit_id", flat=True).distinct())
                .values())
    if len(roots) != 1:
        return None
    return Authority.objects.filter(unit_id=roots.pop()).select_related("unit").first()


def letter_defaults(kind: str, agency_facts: dict) -> dict:
    """The default wording of ``kind`` in the authority's own words (localise) with its own document
    symbol, when it has one."""
    defaults = localise(DEFAULTS_BY_KIND[kind], agency_facts)
    if "peers" in defaults:  # procedures: "đứng thứ 5/10 huyện, thị"
        defaults["peers"] = agency_facts["peers_short"]
    symbol = agency_facts.get("symbols", {}).get(kind)
    return {**defaults, "symbol": symbol} if symbol else defaults


# The defaults below are the seeds' words, written by a district. These are the words that name the
# issuing authority or the units under it; localise puts the authority's own in their place. The
# district's peers ("các huyện, thị xã, thành phố" of the province's results) are no authority's
# own words and stay as written. For Vĩnh Linh every replacement is the same words, so its letters
# stay those of the seeds.
PEER_PHRASES = ("UBND huyện, thị xã, thành phố", "huyện, thị xã, thành phố")
# Where the seeds name the tier the province's council scored beside its departments ("… cơ quan
# thuộc UBND tỉnh; UBND huyện, thị xã, thành phố tỉnh Quảng Trị"), a district names its peers. A
# province's council scores its own departments and the units under the province, so a province's
# letter names its subordinates there ("…; UBND các xã, phường tỉnh …"). Whom a criteria set scores
# ("bộ tiêu chí … các huyện, thị xã, thành phố") is the set's, not the authority's: set_subjects.
SCORED_TIER_PHRASES = ("UBND huyện, thị xã, thành phố", "UBND các huyện, thị xã, thành phố")


def set_subjects(subject_kind: str, agency_facts: dict) -> str:
    """Whom a criteria set scores, as the plan names the set ("bộ tiêu chí chấm điểm mức độ hoàn thành
    nhiệm vụ các huyện, thị xã, thành phố"): from the set's subject kind, never from the issuing
    authority's tier. A set of communes names them as the authority calls the units under it
    ("các xã, thị trấn" / "các xã, phường"); of departments, those of the authority."""
    from scoring.choices import SubjectKind

    if subject_kind == SubjectKind.COMMUNE:
        return "các " + agency_facts["subordinates"].removeprefix("UBND ").removeprefix("các ")
    if subject_kind == SubjectKind.DEPARTMENT:
        return f"các cơ quan, đơn vị thuộc {agency_facts['short']}"
    return "các huyện, thị xã, thành phố"  # a set of UBND scored whole: the seeds' sets, of the districts


def localise(value, agency_facts: dict):
    """``value`` (a str, or lists/tuples/dicts of them) with the district's words for the issuing
    authority replaced by ``agency_facts``' (agency()): "UBND huyện" by its short name, "huyện" and
    "HUYỆN" by its division word, "UBND các xã, thị trấn" by its subordinates phrase, "Phòng Nội vụ" by
    its home-affairs office ("Sở Nội vụ" for a province); for a province,
    the tier scored beside the departments (SCORED_TIER_PHRASES) by its subordinates too; and each
    of the authority's own phrases (Authority.phrases: "phòng chuyên môn" → "sở, ban, ngành") in
    place of the seed's words it names, before any of the above, since the longest words match
    first. One pass, so a replacement is never replaced again."""
    division = agency_facts["division"]
    table = {
        "UBND các xã, thị trấn": agency_facts["subordinates"],
        "UBND huyện": agency_facts["short"],
        "Phòng Nội vụ": agency_facts.get("home_affairs") or "Phòng Nội vụ",
        "huyện": division,
        "HUYỆN": division.upper(),
        **{phrase: phrase for phrase in PEER_PHRASES},
    }
    if agency_facts.get("level") == AuthorityLevel.PROVINCE:
        table |= {phrase: agency_facts["subordinates"] for phrase in SCORED_TIER_PHRASES}
    table |= {words: own for words, own in (agency_facts.get("phrases") or {}).items() if words}
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")\b")

    def walk(item):
        if isinstance(item, str):
            return pattern.sub(lambda m: table[m.group(0)], item)
        if isinstance(item, dict):
            return {key: walk(v) for key, v in item.items()}
        if isinstance(item, (list, tuple)):
            return type(item)(walk(v) for v in item)
        return item

    return walk(value)


CCHC_REMEDIATION = {
    "symbol": "UBND-NV",
    "subject": "V/v khắc phục tồn tại, hạn chế trong công tác cải cách hành chính {period_words}",
    "recipients": [
        "Các cơ quan chuyên môn, đơn vị sự nghiệp thuộc huyện",
        "UBND các xã, thị trấn",
    ],
    "distribution": [
        "Như trên",
        "CT, các PCT UBND huyện",
        "Thành viên BCĐ CCHC huyện",
        "Lưu: VT, NV",
    ],
    "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "signer": "chairman",
    # {index_subject}: whose index the letter reports (facts.cchc_remediation): the authority itself
    # ("huyện Vĩnh Linh", as the seed), or the unit a province writes to about its own index.
    "appendix_title": "KẾT QUẢ ĐÁNH GIÁ CCHC {index_subject_upper} {period_words_upper}",
    "blocks": [
        ("intro", "para",
         "Hội đồng Thẩm định Chỉ số Cải cách hành chính tỉnh {province} đã thông báo kết quả chấm điểm chỉ số "
         "cải cách hành chính {period_words} của các cơ quan chuyên môn, cơ quan thuộc UBND tỉnh; UBND huyện, "
         "thị xã, thành phố tỉnh {province}."),
        ("result", "para",
         "Trong {period_words}, Chỉ số cải cách hành chính của {index_subject} đạt **{index_percent}%**"
         "{rank_clause}. Trong thời gian qua, công tác cải cách hành chính trên địa bàn huyện đã đạt kết quả "
         "tích cực. UBND huyện ghi nhận và đánh giá cao sự nỗ lực, quyết tâm của các cơ quan, đơn vị, địa "
         "phương. Tuy nhiên, bên cạnh những kết quả đạt được vẫn còn nhiều hạn chế, khó khăn cần tập trung "
         "khắc phục và tiếp tục triển khai hoàn thành 100% các nội dung Kế hoạch CCHC năm của huyện."),
        ("deductions", "para",
         "Qua rà soát kết quả thẩm định chỉ số CCHC {index_subject} {period_words} bị trừ điểm ở "
         "{deducted_count} tiêu chí/tiêu chí thành phần với {deduction_total} điểm (*theo bảng phụ lục kết "
         "quả đính kèm*). Để phấn đấu đạt thứ hạng cao trong đánh giá chỉ số cải cách hành chính huyện "
         "{district} năm {year} và khắc phục những hạn chế, tồn tại trong {period_short}, UBND huyện yêu cầu "
         "những nội dung sau:"),
        ("departments", "heading", "1. Thủ trưởng các cơ quan chuyên môn, đơn vị sự nghiệp thuộc huyện"),
        ("departments_1", "para",
         "- Căn cứ Phụ lục các nội dung bị trừ điểm trong đánh giá chỉ số CCHC {period_words} của {index_owner}, "
         "thực hiện rà soát, xác định nguyên nhân các tiêu chí, tiêu chí thành phần bị mất điểm theo Bộ Chỉ "
         "số CCHC ban hành kèm theo {legal_basis}. Phối hợp với các cơ quan, đơn vị có liên quan tham mưu UBND "
         "huyện các giải pháp khắc phục những tiêu chí, tiêu chí thành phần không đạt điểm hoặc đạt điểm thấp."),
        ("departments_2", "para",
         "- Tiếp tục thực hiện khắc phục các tồn tại, hạn chế chưa hoàn thành theo Kế hoạch khắc phục những "
         "tồn tại hạn chế trong công tác cải cách hành chính của UBND huyện năm {previous_year}."),
        ("departments_3", "para",
         "- Thực hiện rà soát các nội dung nhiệm vụ chưa hoàn thành; các tiêu chí, tiêu chí thành phần chưa "
         "thực hiện đánh giá trong {period_short} để tiến hành triển khai trong năm đúng tiến độ, đảm bảo hoàn "
         "thành 100% nhiệm vụ theo Kế hoạch cải cách hành chính năm {year} của UBND huyện đề ra."),
        ("communes", "heading", "2. Chủ tịch UBND các xã, thị trấn"),
        ("communes_1", "para",
         "- Căn cứ kết quả thẩm định Chỉ số Cải cách hành chính của UBND các xã, thị trấn {period_words}, "
         "Chủ tịch UBND các xã, thị trấn chỉ đạo quyết liệt khắc phục các tiêu chí, tiêu chí thành phần của "
         "đơn vị gây mất điểm cho huyện."),
        ("communes_2", "para",
         "- Đánh giá những khó khăn, vướng mắc của cơ quan, đơn vị trong quá trình thực hiện đồng thời có các "
         "giải pháp khắc phục chỉ số CCHC của đơn vị trong những tháng cuối năm {year}; lồng ghép kết quả "
         "khắc phục vào Báo cáo Cải cách hành chính định kỳ (*quý, năm*)."),
        ("communes_3", "para",
         "- Thực hiện rà soát các nội dung nhiệm vụ chưa hoàn thành; các tiêu chí, tiêu chí thành phần chưa "
         "thực hiện đánh giá trong {period_short} để tiến hành triển khai trong năm đúng tiến độ, đảm bảo hoàn "
         "thành 100% nhiệm vụ Kế hoạch năm của đơn vị."),
        ("home_affairs", "heading", "3. Giao Phòng Nội vụ"),
        ("home_affairs_1", "para",
         "- Chủ trì, theo dõi, đôn đốc các đơn vị trong triển khai thực hiện các nhiệm vụ CCHC những tháng "
         "cuối năm {year}."),
        ("home_affairs_2", "para",
         "- Phối hợp với các cơ quan, đơn vị phụ trách công tác cải cách hành chính thực hiện tham mưu các "
         "giải pháp nâng cao chỉ số cải cách hành chính của huyện."),
        ("closing", "para", "UBND huyện yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./."),
    ],
}

REMEDIATION_PLAN = {
    "symbol": "KH-UBND",
    "title": "KẾ HOẠCH",
    "subject": "Khắc phục những tồn tại hạn chế trong chấm điểm xếp loại mức độ Hoàn thành nhiệm vụ "
               "của {index_owner} {period_words}",
    "recipients": [],
    "distribution": [
        "Chủ tịch, các PCT UBND huyện",
        "Các cơ quan CM, đơn vị sự nghiệp thuộc huyện",
        "Công an huyện",
        "Ban chỉ huy Quân sự huyện",
        "UBND các xã, thị trấn",
        "Lưu: VT, NV",
    ],
    "signature": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    "signer": "vice_chairman",
    "appendix_title": "TỔNG HỢP CÁC TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN BỊ TRỪ ĐIỂM {period_words_upper}",
    "grouped_title": "CÁC TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN BỊ TRỪ ĐIỂM THEO ĐƠN VỊ PHỤ TRÁCH {period_words_upper}",
    "blocks": [
        ("basis", "para",
         "Căn cứ kết quả xếp loại mức độ hoàn thành nhiệm vụ của các cơ quan chuyên môn, cơ quan thuộc UBND "
         "tỉnh và UBND các huyện, thị xã, thành phố thuộc tỉnh {province} {period_words}.{result_sentence} "
         "Trong {period_words}, {index_subject} bị trừ điểm ở {deducted_count} tiêu chí, tiêu chí thành phần "
         "với tổng số điểm bị trừ là {deduction_total} điểm (*theo phụ lục gửi kèm*)."),
        ("purpose_intro", "para",
         "Để tiếp tục duy trì những kết quả đã đạt được và khắc phục những hạn chế còn mắc phải trong "
         "{period_words}, UBND huyện {district} xây dựng Kế hoạch khắc phục những tồn tại hạn chế trong chấm "
         "điểm xếp loại mức độ HTNV của {index_owner} {period_words} như sau:"),
        ("aims", "heading", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("aims_purpose", "heading", "1. Mục đích"),
        ("aims_purpose_1", "para",
         "- Nhằm nâng cao hiệu quả hoạt động của các cơ quan, đơn vị trong thực hiện chức năng, nhiệm vụ được "
         "giao và yêu cầu, chỉ đạo điều hành của cấp trên."),
        ("aims_purpose_2", "para",
         "- Phát huy những mặt tích cực, khắc phục các mặt hạn chế, yếu kém trong hoạt động chỉ đạo, điều "
         "hành quản lý nhà nước và thực hiện chức năng nhiệm vụ được giao."),
        ("aims_requirements", "heading", "2. Yêu cầu"),
        ("aims_requirements_1", "para",
         "- Thực hiện đầy đủ, đúng quy định các nhiệm vụ được giao và yêu cầu, chỉ đạo điều hành của cấp trên."),
        ("aims_requirements_2", "para",
         "- Bám sát các tiêu chí, tiêu chí thành phần thuộc bộ tiêu chí chấm điểm mức độ hoàn thành nhiệm vụ "
         "{set_subjects} ban hành kèm theo {legal_basis} để tổ chức thực hiện có hiệu quả các "
         "nhiệm vụ do cơ quan, đơn vị phụ trách."),
        ("tasks", "heading", "II. NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN"),
        ("tasks_departments", "heading", "{n}. Đối với các Phòng, Ban, đơn vị"),
        ("tasks_departments_1", "para",
         "- Thủ trưởng các đơn vị có các tiêu chí, tiêu chí thành phần do cơ quan, đơn vị phụ trách bị trừ "
         "điểm (*theo phụ lục gửi kèm*) tìm hiểu rõ nguyên nhân bị trừ điểm, đồng thời đề xuất các giải pháp, "
         "biện pháp khắc phục trong năm {next_year} gửi về UBND huyện (qua Phòng Nội vụ) tổng hợp trước ngày "
         "**{proposal_deadline}**."),
        ("tasks_departments_2", "para",
         "- Rà soát các tiêu chí, tiêu chí thành phần thuộc bộ tiêu chí chấm điểm mức độ hoàn thành nhiệm vụ "
         "{set_subjects} ban hành kèm theo {legal_basis} và phân công của UBND huyện để tổ chức "
         "thực hiện có hiệu quả các nhiệm vụ do cơ quan, đơn vị phụ trách. Đảm bảo đến {completion_deadline} "
         "hoàn thành 100% các nhiệm vụ được giao."),
        # Repeated for each armed-forces unit responsible for a deducted criterion ({unit} filled in).
        ("tasks_armed_{index}", "heading", "{n}. {unit}"),
        ("tasks_armed_{index}_1", "para",
         "- Căn cứ vào kết quả những tiêu chí, tiêu chí thành phần do cơ quan, đơn vị phụ trách bị trừ điểm "
         "(*theo phụ lục gửi kèm*) tìm hiểu rõ nguyên nhân, đồng thời xây dựng các giải pháp, biện pháp khắc "
         "phục trong năm {next_year}, triển khai thực hiện đảm bảo đến {completion_deadline} đạt điểm tối đa "
         "các tiêu chí phụ trách."),
        ("tasks_home_affairs", "heading", "{n}. Phòng Nội vụ"),
        ("tasks_home_affairs_1", "para",
         "- Chủ trì, tham mưu các văn bản chỉ đạo điều hành về triển khai nhiệm vụ đánh giá mức độ hoàn thành "
         "nhiệm vụ của {index_owner}. Tăng cường công tác hướng dẫn, đôn đốc việc thực hiện và đưa kết quả thực hiện "
         "nhiệm vụ của các phòng ban, đơn vị vào trong đánh giá xếp loại hằng năm."),
        ("tasks_home_affairs_2", "para",
         "- Tham mưu UBND huyện triển khai, tổng hợp đánh giá xếp loại mức độ hoàn thành nhiệm vụ của {index_owner} "
         "trong 6 tháng đầu năm và năm {next_year}."),
        ("closing", "para",
         "UBND huyện yêu cầu Thủ trưởng các cơ quan chuyên môn, các đơn vị sự nghiệp thuộc UBND huyện{armed_list} "
         "triển khai thực hiện đảm bảo đạt theo yêu cầu. Trong quá trình thực hiện có khó khăn, vướng mắc phản "
         "ánh kịp thời về UBND huyện (*qua Phòng Nội vụ*) để xem xét, giải quyết./."),
    ],
}


# -- htnv-round (seed 000) -------------------------------------------------------------------------
# The headline group: the criteria of the DVCTT figures (appendix 1); the processed-documents
# criterion is named on its own with appendices 2 and 3. Codes are data of the HTNV-2023 set and a
# draft may name others (Letter.body["headline_group"], ["documents_criterion"]).
HTNV_ROUND = {
    "symbol": "UBND-NV",
    "subject": "V/v khắc phục hạn chế sau chấm điểm xác định mức độ HTNV của {index_owner} {round_words}",
    "headline_group": "VI.2",
    "documents_criterion": "VI.1",
    "recipients": [
        "Ban Chỉ huy Quân sự huyện",
        "Công an huyện",
        "Các phòng ban, đơn vị thuộc UBND huyện",
        "UBND các xã, thị trấn",
    ],
    "distribution": ["Như kính gửi", "Chủ tịch và các Phó Chủ tịch huyện", "Lưu: VT, NV"],
    "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "signer": "chairman",
    "appendix_titles": [
        "KẾT QUẢ TIẾP NHẬN HỒ SƠ DỊCH VỤ CÔNG TRỰC TUYẾN",
        "TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN",
        "TÌNH HÌNH BAN HÀNH VĂN BẢN ĐI VÀ KÝ SỐ",
    ],
    "blocks": [
        ("intro", "para",
         "UBND huyện {district} đã tổ chức triển khai hoàn thành chấm điểm xác định mức độ HTNV của {index_owner} "
         "{round_words} vào ngày {round_date}. Để chuẩn bị cho việc hoàn thiện và bổ sung chấm điểm lần tiếp "
         "theo, UBND huyện yêu cầu các cơ quan, đơn vị thực hiện một số nội dung sau:"),
        ("continue", "para",
         "1. Các cơ quan, đơn vị bám sát vào các tiêu chí, tiêu chí thành phần được phân công tiếp tục tham "
         "mưu thực hiện những nội dung chưa hoàn thành để bổ sung chấm điểm lần tiếp theo."),
        ("results", "para",
         "2. Qua chấm điểm {round_words}, kết quả ứng dụng CNTT phục vụ người dân và doanh nghiệp đạt "
         "{headline_appraised}/{headline_max} điểm, cụ thể: {headline_details} (*Chi tiết tại phụ lục số 1 kèm "
         "theo*); kết quả xử lý Hồ sơ công việc trên môi trường mạng, trừ hồ sơ xử lý theo văn bản mật đạt "
         "{documents_percent}%, đạt {documents_appraised}/{documents_max} điểm (*Chi tiết tại phụ lục số 2 và "
         "số 3 kèm theo*)."),
        ("results_2", "para",
         "UBND huyện yêu cầu Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã, thị trấn chỉ đạo các công "
         "chức phụ trách tuyên truyền, đẩy mạnh nâng cao tỷ lệ hồ sơ DVCTT của đơn vị; thực hiện đạt 100% văn "
         "bản đến được xử lý trên Hệ thống Quản lý văn bản và Hồ sơ công việc của tỉnh theo đúng quy định, 100% "
         "văn bản điện tử phải được ký số và thực hiện theo đúng quy trình văn bản điện tử (trừ văn bản mật và "
         "một số văn bản phải yêu cầu văn bản giấy)."),
        ("closing", "para", "UBND huyện yêu cầu các cơ quan, đơn vị triển khai thực hiện đạt kết quả cao nhất./."),
    ],
}

# -- document-processing (seed 002) ----------------------------------------------------------------
# Thresholds in percent: a unit is named when its rate is below them (Letter.body["thresholds"]).
DOCUMENT_PROCESSING = {
    "symbol": "UBND-VP",
    "subject": "V/v đẩy mạnh xử lý văn bản và ký số văn bản trên Hệ thống Quản lý văn bản và Hồ sơ công "
               "việc của tỉnh",
    "thresholds": {"incoming_processed_rate": "20", "outgoing_signed_rate": "80",
                   "outgoing_leader_signed_rate": "10"},
    "recipients": [
        "Các phòng, ban, đơn vị thuộc UBND huyện",
        "UBND các xã, thị trấn",
        "Các đơn vị Trường học thuộc UBND huyện",
    ],
    "distribution": ["Như trên", "CT, các PCT UBND huyện", "CVP, các PCVP HĐND&UBND huyện", "Lưu: VT, NV"],
    "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "signer": "chairman",
    "appendix_titles": ["BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN", "BÁO CÁO TÌNH HÌNH BAN HÀNH VĂN BẢN"],
    "blocks": [
        ("intro", "para",
         "Việc thực hiện ban hành văn bản điện tử và xử lý văn bản trên Hệ thống Quản lý văn bản và Hồ sơ công "
         "việc của tỉnh của các cơ quan, đơn vị trên địa bàn huyện vẫn chưa hiệu quả làm ảnh hưởng đến điểm số "
         "Hoàn thành nhiệm vụ và điểm số Cải cách hành chính của huyện."),
        ("results", "para",
         "Kết quả trong {period_words} việc xử lý văn bản đến và ban hành văn bản điện tử vẫn chưa đạt theo "
         "yêu cầu làm ảnh hưởng đến thành tích của huyện, cụ thể:"),
        ("incoming", "para",
         "- Việc thực hiện quy trình xử lý văn bản đến {full_clause} (*kết thúc đúng quy trình*), trong đó có "
         "{incoming_count} đơn vị thực hiện dưới {incoming_threshold}%: {incoming_list}."),
        ("outgoing", "para",
         "- Việc thực hiện ký số văn bản và ban hành văn bản điện tử đúng theo quy định ban hành văn bản điện "
         "tử còn nhiều đơn vị chưa thực hiện và thực hiện kém như:"),
        ("signed", "para", "+ Tỷ lệ ký số đơn vị dưới {signed_threshold}%: {signed_list}."),
        ("leader_signed", "para", "+ Tỷ lệ Lãnh đạo đơn vị ký số dưới {leader_threshold}%: {leader_list}."),
        ("appendices", "para", "(*Có {appendix_count} phụ lục chi tiết kèm theo*)"),
        ("demands", "para", "UBND huyện yêu cầu:"),
        ("demands_1", "para",
         "1. Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã, thị trấn và Hiệu trưởng các trường học triển "
         "khai thực hiện đảm bảo đạt:"),
        ("demands_1a", "para",
         "- 100% văn bản đến phải được xử lý trên Hệ thống Quản lý văn bản và Hồ sơ công việc của tỉnh theo "
         "đúng quy định (*phúc đáp hoặc kết thúc đúng quy trình*). Đối với văn bản đến còn tồn đọng: văn bản "
         "chỉ đọc để biết thì kết thúc văn bản."),
        ("demands_1b", "para",
         "- 100% văn bản điện tử phải được ký số và thực hiện theo đúng quy trình văn bản điện tử (*trừ văn bản "
         "mật và một số văn bản phải yêu cầu văn bản giấy*)."),
        ("demands_2", "para",
         "2. Giao Văn phòng HĐND&UBND huyện thường xuyên kiểm tra, đôn đốc các cơ quan, đơn vị thực hiện "
         "nghiêm túc."),
        ("demands_3", "para",
         "3. Giao Phòng Nội vụ theo dõi và đưa nhiệm vụ này vào đánh giá mức độ hoàn thành nhiệm vụ năm của các "
         "cơ quan, đơn vị."),
        ("closing", "para", "Yêu cầu các phòng ban, cơ quan, đơn vị nghiêm túc triển khai thực hiện./."),
    ],
}

# -- procedures (seed 003) -------------------------------------------------------------------------
# The groups of units the targets are stated for, by the registry's unit kinds; the figures are the
# authority's own (Authority.metric_targets, Vĩnh Linh's those of seed 003), and a draft overrides
# them with Letter.body["targets"] = {group key: {metric key: "60"}}.
PROCEDURES = {
    "symbol": "UBND-VP",
    "subject": "V/v đôn đốc, đẩy mạnh cải cách TTHC trong tiếp nhận, xử lý hồ sơ cho tổ chức, công dân",
    "recipients": [
        "Các phòng chuyên môn thuộc UBND huyện",
        "Các cơ quan TW, tỉnh đóng trên địa bàn huyện",
        "UBND các xã, thị trấn",
    ],
    "distribution": ["Như trên", "CT, các PCT UBND huyện", "Chánh VP, các PCVP", "Lưu: VT, VP"],
    "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "signer": "chairman",
    "peers": "huyện, thị",
    "appendix_title": "KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ",
    "targets_title": "CHỈ TIÊU PHẢI ĐẠT THEO LOẠI ĐƠN VỊ",
    "targets": {
        "departments": {
            "label": "Các phòng chuyên môn thuộc huyện",
            "kinds": ["office", "department", "one_stop"],
        },
        "vertical": {
            "label": "Chi nhánh Văn phòng đăng ký đất đai huyện",
            "kinds": ["vertical"],
        },
        "communes": {
            "label": "UBND các xã, thị trấn",
            "kinds": ["commune", "town"],
        },
    },
    "blocks": [
        ("basis", "para",
         "Theo kết quả tiếp nhận, trả kết quả giải quyết TTHC trên Hệ thống thông tin giải quyết TTHC tỉnh "
         "{period_words}, kết quả của huyện {district} như sau:"),
        ("figures_intro", "para", "- Kết quả đạt được của huyện:"),
        ("figures", "para", "{figure_lines}"),
        ("table_note", "para", "(*Bảng số liệu chi tiết tính từ {period_start} đến {period_end} tại phụ lục kèm "
                               "theo*)"),
        ("demands", "para",
         "Để khắc phục những tồn tại, hạn chế và nâng cao các chỉ số trong công tác cải cách thủ tục hành chính, "
         "UBND huyện {district} yêu cầu:"),
        ("targets", "para", "{target_lines}"),
        ("apology", "para",
         "{n_apology}. Đơn vị nào để xảy ra hồ sơ trễ hẹn thì phải thực hiện xin lỗi người dân, doanh nghiệp "
         "(đạt tỷ lệ 100%) đồng thời đính kèm thư xin lỗi vào hồ sơ bị trễ hẹn (*đây là yêu cầu bắt buộc*)."),
        ("closing", "para",
         "Trên đây là những nội dung liên quan trực tiếp đến chỉ số CCHC của đơn vị, của huyện đề nghị Thủ "
         "trưởng các phòng chuyên môn thuộc huyện, các cơ quan, đơn vị; Chủ tịch UBND các xã, thị trấn nghiêm "
         "túc tổ chức thực hiện./."),
    ],
}


DEFAULTS_BY_KIND = {
    "cchc-remediation": CCHC_REMEDIATION,
    "remediation-plan": REMEDIATION_PLAN,
    "htnv-round": HTNV_ROUND,
    "document-processing": DOCUMENT_PROCESSING,
    "procedures": PROCEDURES,
}
