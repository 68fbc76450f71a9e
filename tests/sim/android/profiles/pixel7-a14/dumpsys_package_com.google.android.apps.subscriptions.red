Activity Resolver Table:
  Non-Data Actions:
      android.intent.action.MAIN:
        5e7ea1f com.google.android.apps.subscriptions.red/.home.HomeActivity filter 8d7c8ef
          Action: "android.intent.action.MAIN"
          Category: "android.intent.category.LAUNCHER"

Key Set Manager:
  [com.google.android.apps.subscriptions.red]
      Signing KeySets: 2

Packages:
  Package [com.google.android.apps.subscriptions.red] (5f1faae):
    appId=10187
    pkg=Package{8a7b6c5 com.google.android.apps.subscriptions.red}
    codePath=/product/app/GoogleOne
    resourcePath=/product/app/GoogleOne
    legacyNativeLibraryDir=/product/app/GoogleOne/lib
    extractNativeLibs=false
    primaryCpuAbi=arm64-v8a
    secondaryCpuAbi=null
    cpuAbiOverride=null
    versionCode=23561 minSdk=26 targetSdk=34
    minExtensionVersions=[]
    versionName=1.235.626523887
    usesNonSdkApi=false
    splits=[base, config.arm64_v8a, config.en, config.xxhdpi]
    apkSigningVersion=3
    flags=[ SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA UPDATED_SYSTEM_APP ALLOW_BACKUP LARGE_HEAP ]
    privateFlags=[ PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE ALLOW_AUDIO_PLAYBACK_CAPTURE PARTIALLY_DIRECT_BOOT_AWARE ]
    forceQueryable=false
    dataDir=/data/user/0/com.google.android.apps.subscriptions.red
    supportsScreens=[small, medium, large, xlarge, resizeable, anyDensity]
    timeStamp=2024-04-02 11:20:41
    lastUpdateTime=2024-04-02 11:20:41
    installerPackageName=com.android.vending
    installerPackageUid=10117
    initiatingPackageName=com.android.vending
    originatingPackageName=null
    packageSource=0
    appMetadataFilePath=null
    signatures=PackageSignatures{6c98c74 version:3, signatures:[24bb24c0], past signatures:[]}
    installPermissionsFixed=true
    pkgFlags=[ SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA UPDATED_SYSTEM_APP ALLOW_BACKUP LARGE_HEAP ]
    apexModuleName=null
    install permissions:
      android.permission.FOREGROUND_SERVICE: granted=true
      android.permission.RECEIVE_BOOT_COMPLETED: granted=true
      android.permission.INTERNET: granted=true
      android.permission.ACCESS_NETWORK_STATE: granted=true
      android.permission.WAKE_LOCK: granted=true
    User 0: ceDataInode=73600 installed=true hidden=false suspended=false distractionFlags=0 stopped=true notLaunched=true enabled=0 instant=false virtual=false
      installReason=0
      firstInstallTime=2023-02-14 09:58:40
      uninstallReason=0
      gids=[3003]
      runtime permissions:
        android.permission.POST_NOTIFICATIONS: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.READ_MEDIA_VISUAL_USER_SELECTED: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.READ_MEDIA_IMAGES: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.READ_MEDIA_VIDEO: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.READ_EXTERNAL_STORAGE: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED|RESTRICTION_INSTALLER_EXEMPT]
        android.permission.WRITE_EXTERNAL_STORAGE: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED|RESTRICTION_INSTALLER_EXEMPT]
        android.permission.GET_ACCOUNTS: granted=true, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.ACCESS_MEDIA_LOCATION: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.CAMERA: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
      enabledComponents:
        androidx.work.impl.background.systemjob.SystemJobService

Queries:
  system apps queryable: false
  queries via forceQueryable:
  queries via package name:
  queries via component:
  queryable via interaction:
    User 0:
      [com.google.android.apps.subscriptions.red]:
        com.google.android.gms

Dexopt state:
  [com.google.android.apps.subscriptions.red]
    path: /product/app/GoogleOne/base.apk
      arm64: [status=speed-profile] [reason=bg-dexopt]

Compiler stats:
  [com.google.android.apps.subscriptions.red]
     base.apk - 1587
