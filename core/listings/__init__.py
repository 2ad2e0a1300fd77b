"""Listings: homes on Doorstep, who manages them and their place on the market."""
