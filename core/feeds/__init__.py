"""MLS feeds: RESO Web API records read into listings, each feed's cursor and the raw records kept."""
