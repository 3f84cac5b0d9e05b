"""Currency codes: the circulating currencies of ISO 4217 (list one), by their code.

Fund codes (BOV, CHE, CLF, USN...), precious metals (XAU...), special drawing rights
and the testing and "no currency" codes (XTS, XXX) are left out: no support offer or
contract is paid in them. The list changes a few times a decade; update it with the
ISO 4217 maintenance agency's amendments.
"""

import re

DEFAULT_CURRENCY = "GBP"

_LIST_ONE = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
    BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
    IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """
CURRENCY_CODES = frozenset(_LIST_ONE.split())

_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")


def normalise_currency(text: str | None) -> str:
    """The code as it is stored: stripped and in capitals; nothing given means GBP."""
    code = (text or "").strip().upper()
    return code or DEFAULT_CURRENCY


def is_three_letters(code: str) -> bool:
    return bool(_THREE_LETTERS.fullmatch(code))


def is_currency_code(code: str) -> bool:
    """Whether ``code`` (as ``normalise_currency`` gives it) is a real currency's code."""
    return code in CURRENCY_CODES
