"""Every rules program by name, for the CLI, the bot and the tests."""
from actions.rules import licences, loan, people, public_sector, tax

PROGRAMS = {
    "tax": tax.calculate,
    "loan": loan.calculate,
    "tobacco": licences.tobacco,
    "lottery": licences.lottery,
    "auxiliary": people.auxiliary,
    "dibao": people.dibao_taper,
    "quota_member": people.quota_member,
    "public_sector": public_sector.obligation,
}
