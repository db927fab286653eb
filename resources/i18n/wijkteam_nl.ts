<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
  Dutch texts the app adds on top of Qt's own translations (qtbase_nl.qm).

  The app's own strings are Dutch at the source, so this file is not a translation of the app:
  it fills the gaps in Qt's Dutch. Qt 6 gave some labels of its file dialog an Alt+letter
  ("&Look in:", "Files of &type:"); qtbase_nl.qm only knows them without, so those two stayed
  English. Compile after a change with

      pyside6-lrelease resources/i18n/wijkteam_nl.ts -qm resources/i18n/wijkteam_nl.qm

  (tests/ui/test_dutch.py checks that the compiled file matches this one).
-->
<TS version="2.1" language="nl_NL">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Zoeken in:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Bestands&amp;type:</translation>
    </message>
</context>
</TS>
