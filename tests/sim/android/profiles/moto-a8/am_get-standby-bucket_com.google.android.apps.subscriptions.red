Unknown command: get-standby-bucket
