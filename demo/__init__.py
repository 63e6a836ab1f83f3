"""A small, realistic world to try Tandem in: two cities, their partners, and a year of history.

``demo.loader.load()`` is what ``manage.py load_demo`` runs. People and
organizations are matched on their natural keys (e-mail, slug), partnerships on
city and title, so loading twice creates nothing twice. A partnership's history
is replayed through the same service functions the site uses, so its timeline,
simple_history rows and derived fields are exactly what real use would have
produced. Every date is relative to today, so the demo always looks current.

The demo may use every other app; no app uses the demo.
"""
