"""Qt controllers: QObjects that run services in the background and report with signals."""
