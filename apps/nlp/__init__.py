"""Natural-language processing: the only package that imports spaCy.

It knows no Django models: callers pass strings in and get plain dataclasses back
(see ``apps.nlp.types``).
"""
