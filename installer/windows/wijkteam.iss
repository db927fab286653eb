; Inno Setup 6 recipe for the Wijkteam desktop app on Windows 10/11 (x64).
;
; Input : dist\wijkteam\  made on a Windows build machine by  python installer\build.py
; Output: dist\wijkteam-<version>-windows-x64-setup.exe
;
; Build (from the repository root; see docs\install.md and installer\windows\build.ps1):
;   iscc /DAppVersion=0.1.0 installer\windows\wijkteam.iss
; Build and sign setup + uninstaller (the program files inside dist\wijkteam are signed
; BEFORE this step, see build.ps1):
;   iscc /DAppVersion=0.1.0 /DSign ^
;        "/Ssigntool=signtool.exe sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /sha1 <THUMBPRINT> $f" ^
;        installer\windows\wijkteam.iss
;
; Silent installation (Intune, SCCM/MECM, PDQ, GPO start-up script):
;   wijkteam-0.1.0-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- ^
;       /LOG="%WINDIR%\Temp\wijkteam-setup.log" /SERVER=https://wijkteam.gemeente.nl
; /SERVER is optional: it writes {app}\wijkteam.ini so the first-run wizard proposes that
; address. Per-user installation without admin rights: add /CURRENTUSER.
; Silent removal:
;   "%ProgramFiles%\Wijkteam\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Removal leaves every worker's case file (%LOCALAPPDATA%\Wijkteam) in place.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Publisher
  #define Publisher "Gemeente"
#endif
#define AppName "Wijkteam"
#define AppExe "wijkteam.exe"
#define Root "..\.."

[Setup]
; Never change AppId: it is how an update finds the installed version.
AppId={{C8A63BF4-1E68-4E86-BC9E-37957B660F05}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
; Machine-wide by default; /CURRENTUSER (or the dialog) installs for one user without admin.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=wijkteam-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes
; An update closes a running Wijkteam (Restart Manager) instead of failing on locked files;
; the app saves on every change, so nothing typed is lost except an open, unsaved form.
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the program completely: no stale libraries from the previous version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\dist\wijkteam\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[INI]
Filename: "{app}\wijkteam.ini"; Section: "server"; Key: "url"; String: "{param:SERVER}"; Check: ServerGiven

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer wrote. Case files, keys and backups live in each user's
; %LOCALAPPDATA%\Wijkteam and stay; see docs\install.md for removing them deliberately.
Type: files; Name: "{app}\wijkteam.ini"

[Code]
function ServerGiven: Boolean;
begin
  Result := Trim(ExpandConstant('{param:SERVER|}')) <> '';
end;

function InitializeSetup: Boolean;
var
  Server: String;
begin
  Result := True;
  Server := Trim(ExpandConstant('{param:SERVER|}'));
  if (Server <> '') and (Pos('https://', Lowercase(Server)) <> 1) then
  begin
    SuppressibleMsgBox('Het serveradres moet beginnen met https://. De installatie is gestopt.',
      mbCriticalError, MB_OK, IDOK);
    Log('Refused /SERVER without https: ' + Server);
    Result := False;
  end;
end;
