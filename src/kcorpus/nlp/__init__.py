"""Stage 3, language: the only Kiwi user, tag sets, token tables, term selection and units of analysis."""
