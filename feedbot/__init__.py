"""feedbot: curated, enriched Atom feeds from the JoongAng 팩플 section."""

__version__ = "0.1.0"
