"""``{% load numbers %}``: numbers and money in the reader's language (see :mod:`core.numbers`)."""

from django import template

from core import numbers

register = template.Library()


@register.filter
def number(value: object) -> str:
    """``{{ measurement.value|number }}``: 12,500.5 in English, 12.500,5 in Spanish."""
    return numbers.number(value)


@register.filter
def money(value: object, currency: str) -> str:
    """``{{ need.amount|money:need.currency }}``: $12,500.00 in English, 12.500,00 US$ in Spanish."""
    return numbers.money(value, currency)
