; Inno Setup 6.3+ script: a per-user installer for the bundle built by packaging/build.py.
; Build: iscc packaging\windows\kodomo-desktop.iss  (see packaging/README.md)

#define AppName "kodomo-desktop"
#define Bundle AddBackslash(SourcePath) + "..\dist\kodomo-desktop"
; The version comes from the executable, which PyInstaller stamped with kodomo_desktop.__version__.
#define AppVersion GetStringFileInfo(Bundle + "\kodomo-desktop.exe", "ProductVersion")
#if AppVersion == ""
  #error Build the bundle first: packaging\dist\kodomo-desktop\kodomo-desktop.exe is missing or has no version.
#endif

[Setup]
; Never change AppId: it is how a new version finds and replaces the installed one.
AppId={{C084BA11-BD32-4F72-AEF9-BEA019DE5F4A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
; Per user: no administrator rights needed, installed under %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\icons\kodomo-desktop.ico
UninstallDisplayIcon={app}\kodomo-desktop.exe
OutputDir=..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The user's database and its backups live in %LOCALAPPDATA%\kodomo-desktop, outside {app},
; and the uninstaller deletes only what [Files] installed: keep it so (no [UninstallDelete]).

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[InstallDelete]
; An update replaces the whole bundle: files an older version had must not linger in it.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\kodomo-desktop.exe"

[Run]
Filename: "{app}\kodomo-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
