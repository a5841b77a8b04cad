"""社会救助: 低保, 特困, 临时救助, 探访 and caregivers (filled by the Records issue)."""
