"""Importing MLS listings over the RESO Web API: the OData client, the rate limits and one sync of a feed."""
