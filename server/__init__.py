"""Pieces loaded into the Rasa server by configuration: the REST channel and the tracker store."""
