"""kcorpus: a corpus toolkit for Korean text built on Kiwi."""

__version__ = "0.1.0"
