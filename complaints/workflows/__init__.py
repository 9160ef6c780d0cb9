"""One module per route: the proxy model, its state table and @transition methods."""
