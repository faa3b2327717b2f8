"""Domestic-abuse interventions: the catalogue and eligibility, the referral lifecycle, courses and waits."""
