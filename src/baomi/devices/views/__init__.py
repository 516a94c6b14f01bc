"""Pages of the devices app: the device and media ledgers, one device or medium, labels and
the .xlsx export."""
