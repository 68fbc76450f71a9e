Invalid package: com.google.android.apps.subscriptions.red
