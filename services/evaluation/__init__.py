"""Quality measurement against gold files (``rasd eval``); pure, no Kafka."""
