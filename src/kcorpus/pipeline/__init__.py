"""Sources -> clean -> tokens for a whole corpus: the token cache and the optional Dask backend."""
