"""Every check's rules function by the check's id, for the CLI, the action server and the tests;
and, for a check whose first answers can decide the result, the test that they do."""
from jiuye.checks import levy, licences, loan, people, public_sector, tax

RULES = {
    "levy": levy.check,
    "tax": tax.calculate,
    "loan": loan.calculate,
    "tobacco": licences.tobacco,
    "lottery": licences.lottery,
    "auxiliary": people.auxiliary,
    "dibao": people.dibao_taper,
    "quota_member": people.quota_member,
    "public_sector": public_sector.obligation,
}

# answers so far (by question name) → whether they decide the result, so nothing more is asked
SETTLED = {
    "levy": levy.settled,
}

# a question asked only when the answers so far make it matter: question name → test
ASKED_ONLY_IF = {
    "levy": {"enterprise": levy.exemption_matters},
}
