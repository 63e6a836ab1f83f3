"""Load benchmark for the portfolio dashboard; see bench/README.md. Not part of the site."""
