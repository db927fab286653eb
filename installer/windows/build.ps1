# Build, sign and package Wijkteam on a Windows build machine (PowerShell 5+ or 7).
#
#   .\installer\windows\build.ps1                         # unsigned, for testing
#   .\installer\windows\build.ps1 -Thumbprint 0123ABCD... # signed with a certificate from
#                                                         # the machine/user store or a token
#
# Needs: Python 3.11+ with Wijkteam installed in .venv (`py -m venv .venv`,
# `.venv\Scripts\pip install -e .`), Inno Setup 6 (iscc.exe on PATH or in its default folder),
# and for signing the Windows SDK's signtool.exe plus a code-signing certificate (OV/EV; an
# EV certificate or Azure Trusted Signing avoids SmartScreen warnings from the first day).
param(
    [string]$Thumbprint = "",
    [string]$TimestampUrl = "http://timestamp.digicert.com",
    [string]$Publisher = "Gemeente"
)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Root

$Python = Join-Path $Root ".venv\Scripts\python.exe"
& $Python installer\build.py
if ($LASTEXITCODE -ne 0) { throw "bundle build failed" }

$Version = (& $Python -c "import wijkteam_app; print(wijkteam_app.__version__)").Trim()

$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }

if ($Thumbprint) {
    # Sign our own executables inside the bundle first (the setup only wraps them).
    $targets = Get-ChildItem dist\wijkteam -Filter "wijkteam*.exe"
    foreach ($t in $targets) {
        signtool.exe sign /fd SHA256 /tr $TimestampUrl /td SHA256 /sha1 $Thumbprint $t.FullName
        if ($LASTEXITCODE -ne 0) { throw "signing $($t.Name) failed" }
    }
    $sign = "signtool.exe sign /fd SHA256 /tr $TimestampUrl /td SHA256 /sha1 $Thumbprint `$f"
    & $Iscc "/DAppVersion=$Version" "/DPublisher=$Publisher" /DSign "/Ssigntool=$sign" installer\windows\wijkteam.iss
} else {
    & $Iscc "/DAppVersion=$Version" "/DPublisher=$Publisher" installer\windows\wijkteam.iss
}
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }

$Setup = "dist\wijkteam-$Version-windows-x64-setup.exe"
if ($Thumbprint) { signtool.exe verify /pa /v $Setup | Out-Null; if ($LASTEXITCODE -ne 0) { throw "signature check failed" } }
Write-Host "Klaar: $Setup"
