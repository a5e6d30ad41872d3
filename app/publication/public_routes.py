"""Public results, the citizens' summary and open data of a published hearing."""
