"""Every check's rules function by the check's id, for the CLI, the action server and the tests."""
from jiuye.checks import licences, loan, people, public_sector, tax

RULES = {
    "tax": tax.calculate,
    "loan": loan.calculate,
    "tobacco": licences.tobacco,
    "lottery": licences.lottery,
    "auxiliary": people.auxiliary,
    "dibao": people.dibao_taper,
    "quota_member": people.quota_member,
    "public_sector": public_sector.obligation,
}
