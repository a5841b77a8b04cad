"""养老服务: institutions, community facilities, 四赛 and 六晒 (filled by the Records issue)."""
