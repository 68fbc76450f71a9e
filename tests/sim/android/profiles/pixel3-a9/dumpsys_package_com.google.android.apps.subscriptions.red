Dexopt state:
  Unable to find package: com.google.android.apps.subscriptions.red

Compiler stats:
  Unable to find package: com.google.android.apps.subscriptions.red
