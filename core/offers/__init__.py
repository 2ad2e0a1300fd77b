"""Offers: amounts, the counter chain between buyer and seller, expiry and abuse signals."""
