"""Business-process flows that post journal entries from documents: O2C, P2P, H2R, A2R, R2R."""
