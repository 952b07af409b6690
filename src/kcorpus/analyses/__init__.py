"""Counts and the analyses on them: word lists, keyness, comparison, concordance, collocates, topics.

Every analysis is pure: it takes counts or analysed documents and returns pandas DataFrames; none prints.
"""
