"""The read side: titles chosen (choose), listings, the card, catalog charts and the user's SQL.
It returns rows and never prints."""
