"""What tests, benchmarks and scripts share to run the assistant: its servers, and walks through a conversation."""
