"""Viewings: a listing's hours, its bookable slots and the bookings made against them."""
