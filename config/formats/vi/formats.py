"""Vietnamese formats as official documents write them: 23,41 and 15/12/2023.

Django's own vi locale writes short dates as 15-12-2023; documents and forms here use slashes.
No thousands grouping (NUMBER_GROUPING = 0): it would also print years as 2.023, so grouping is
done where it is wanted, by common.numbers.format_number and the |vn filter."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 0
