"""Pure computations a person could argue about; imports neither Flask nor the models."""
