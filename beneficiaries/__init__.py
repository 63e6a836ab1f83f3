"""What beneficiaries do in a partnership: consent, comments on the plan, voices gathered
offline, trainings, their own data.

Who takes part as a beneficiary is ``partnerships.Participant``, a partnership's third kind
of member; this app builds on ``partnerships`` and nothing there builds on it.
"""
