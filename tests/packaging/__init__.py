"""The package as a user gets it: the sdist, the wheel in a clean virtualenv, the install guard."""
