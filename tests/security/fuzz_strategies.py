"""Hypothesis strategies for hostile form input, built from a form's own fields.

``form_data(form)`` looks at each field of an (unbound) form and draws, per field,
either a plausible value (so the save path is reached) or a hostile one: very long,
empty, whitespace-only, mixed-script, NFD Vietnamese, control characters, markup and
SQL for text; huge, negative, NaN/inf and non-numeric for numbers; impossible dates,
year 1 and 9999 for dates; other units' ids, missing ids and non-integers for choices.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st

VIETNAMESE = "Ký kết giao ước thi đua năm 2024 – Đảng ủy Bộ Tư pháp"
NFD_VIETNAMESE = unicodedata.normalize("NFD", VIETNAMESE)
SCRIPT = '<script>alert("x")</script> & "Ký"'

HOSTILE_TEXTS: tuple[str, ...] = (
    "",
    " ",
    "\t \n \r\n ",
    "\u00a0\u2003\u3000",
    VIETNAMESE,
    NFD_VIETNAMESE,
    "Nguyễn Văn A Иван Петров 王小明 😀🇻🇳 مرحبا שלום",
    "\u202egnp.exe\u202c",
    "abc\x00def",
    "\x00",
    "\x01\x02\x1f\x7f\x9f",
    "line\x0bbreak\x0cform",
    "\ufeffBOM\u200b\u200d\u2060",
    SCRIPT,
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% debug %}",
    "'; DROP TABLE campaigns_unit; --",
    "' OR '1'='1",
    "%s %(name)s {0} %n",
    "../../etc/passwd",
    "\ud7ff\ue000\uffff",
    "Ａ" * 300,
    "x" * 10_000,
    ("Đổi mới sáng tạo " * 700)[:10_000],
    "\n" * 500,
)

# Letters from every script the app meets, plus marks, controls and invisible characters.
_ALPHABET = st.one_of(
    st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÁẮẤĐÉẾÍÓỐỚÚỨÝạặậẹệịọộợụựỵ"),
    st.sampled_from("АБВгдеЖЗи中文漢字한국어ひらがなカタカナ"),
    st.sampled_from("\u0300\u0301\u0303\u0309\u0323\u0306\u031b"),
    st.sampled_from("\x00\x01\x08\x1b\x1f\x7f\u0085\u2028\u2029\u202a\u202e\u200f\ufeff"),
    st.sampled_from("<>&\"'`;%\\/{}|$#@!?*()[]=+-_ \t\n\r"),
    st.sampled_from("😀👍🏽🇻🇳"),
    st.characters(codec="utf-8"),
)

HOSTILE_NUMBERS: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-0",
    "-1",
    "-2147483649",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 40,
    "1e400",
    "1E-400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "0x1A",
    "1,5",
    "1.005",
    "0.000000001",
    "１２",
    "٣",
    "12abc",
    "abc",
    "1\x00",
    "\x00",
    "<script>",
)

HOSTILE_DATES: tuple[str, ...] = (
    "",
    "31/02/2024",
    "29/02/2023",
    "00/00/0000",
    "32/13/2024",
    "0001-01-01",
    "01/01/0001",
    "9999-12-31",
    "31/12/9999",
    "10000-01-01",
    "2024-13-01",
    "2024-02-30",
    "２０２４-０１-０１",
    "garbage",
    "2024-01-01\x00",
    "1/1/1",
    "-2024-01-01",
    "' OR 1=1 --",
)

HOSTILE_IDS: tuple[str, ...] = (
    "",
    "0",
    "-1",
    "999999",
    "2147483648",
    "9" * 30,
    "abc",
    "1.5",
    "1\x00",
    "\x00",
    "<script>",
    "1 OR 1=1",
)


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXTS),
        st.text(_ALPHABET, max_size=max_size),
        # The same Vietnamese text in NFC and NFD, with noise around it.
        st.tuples(
            st.sampled_from([VIETNAMESE, NFD_VIETNAMESE]), st.text(_ALPHABET, max_size=5)
        ).map(lambda parts: parts[0] + parts[1]),
    )


def plausible_text() -> st.SearchStrategy[str]:
    return st.sampled_from(
        [VIETNAMESE, NFD_VIETNAMESE, "Phòng Tổ chức cán bộ", "Nguyễn Thị Hằng", "KTNN-01"]
    )


def _date_texts(low: datetime.date, high: datetime.date) -> st.SearchStrategy[str]:
    return st.dates(low, high).flatmap(
        lambda day: st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")])
    )


def number_values(field: forms.Field) -> st.SearchStrategy[str]:
    low = getattr(field, "min_value", None)
    high = getattr(field, "max_value", None)
    plausible = st.integers(
        int(low) if low is not None else 0, int(high) if high is not None else 100
    ).map(str)
    years = st.sampled_from(["2023", "2024", "2025", "2026"])
    return st.one_of(plausible, years, st.sampled_from(HOSTILE_NUMBERS), st.integers().map(str))


def _choice_values(field: forms.ChoiceField, other_ids: Iterable[int]) -> list[str]:
    values: list[str] = []
    if isinstance(field, forms.ModelChoiceField):
        queryset = field.queryset
        if queryset is not None:
            values = [str(pk) for pk in queryset.values_list("pk", flat=True)[:50]]
    else:
        for value, label in field.choices:
            if isinstance(label, list | tuple):  # an optgroup
                values.extend(str(v) for v, _label in label)
            else:
                values.append(str(value))
    return values


def field_values(field: forms.Field, other_ids: Iterable[int]) -> st.SearchStrategy[Any]:
    """A value for one field: plausible about half the time, hostile otherwise."""
    other = [str(pk) for pk in other_ids]
    if isinstance(field, forms.FileField):
        return st.none()
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        valid = _choice_values(field, other)
        pool = st.sampled_from([*valid, *other, *HOSTILE_IDS]) if valid or other else None
        if pool is None:
            return st.lists(st.sampled_from(HOSTILE_IDS), max_size=3)
        return st.one_of(
            st.lists(st.sampled_from(valid), max_size=3, unique=True) if valid else st.just([]),
            st.lists(pool, max_size=4),
        )
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        valid = _choice_values(field, other)
        choices = [st.sampled_from(valid)] if valid else []
        return st.one_of(*choices, st.sampled_from([*other, *HOSTILE_IDS]), hostile_text(8))
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "1", "0", "unknown", "\x00", "on" * 50])
    if isinstance(field, forms.DateField):
        return st.one_of(
            _date_texts(datetime.date(2023, 1, 1), datetime.date(2026, 12, 31)),
            _date_texts(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
            st.sampled_from(HOSTILE_DATES),
        )
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return st.one_of(
            number_values(field),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.sampled_from(["0.01", "10", "99.99", "12.345", "-0.5"]),
        )
    if isinstance(field, forms.IntegerField):
        return number_values(field)
    if isinstance(field, forms.JSONField):
        return st.one_of(
            st.sampled_from(['{"min_years": 2}', "[]", "null", "{", '"\\u0000"', "1e999"]),
            hostile_text(),
        )
    if isinstance(field, forms.CharField):
        return st.one_of(plausible_text(), hostile_text())
    return hostile_text()


def form_data(
    form: forms.BaseForm,
    *,
    other_ids: Iterable[int] = (),
    overrides: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[MultiValueDict]:
    """POST-like data for every field of ``form`` (prefix included), as a MultiValueDict."""
    overrides = overrides or {}
    other = list(other_ids)
    strategies = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        strategy = overrides.get(name) or field_values(field, other)
        strategies[form.add_prefix(name)] = strategy
    return st.fixed_dictionaries(strategies).map(to_multivalue)


def near_valid_data(
    form: forms.BaseForm,
    valid: dict[str, Any],
    *,
    other_ids: Iterable[int] = (),
) -> st.SearchStrategy[MultiValueDict]:
    """A valid POST with one to three fields replaced by hostile values, or a wholly
    hostile one: most examples get past validation to the service."""
    other = list(other_ids)
    names = [n for n, f in form.fields.items() if not isinstance(f, forms.FileField)]

    def changed(chosen: set[str]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {name: field_values(form.fields[name], other) for name in sorted(chosen)}
        ).map(lambda drawn: {**valid, **drawn})

    return st.one_of(
        st.sets(st.sampled_from(names), min_size=1, max_size=3).flatmap(changed),
        st.fixed_dictionaries(
            {name: st.one_of(st.just(valid[name]), hostile_text()) for name in valid}
        ),
    ).map(to_multivalue) | form_data(form, other_ids=other)


def to_multivalue(values: dict[str, Any]) -> MultiValueDict:
    data = MultiValueDict()
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


def nul_free(value: Any) -> bool:
    """No NUL anywhere in a cleaned value (PostgreSQL refuses NUL in text)."""
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, dict):
        return all(nul_free(k) and nul_free(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return all(nul_free(v) for v in value)
    return True
