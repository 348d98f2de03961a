<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ActivitySampler</name>
    <message>
        <source>the server&apos;s answer to the sampling query could not be read</source>
        <translation>die Antwort des Servers auf die Abfrage der Stichprobe war nicht lesbar</translation>
    </message>
</context>
<context>
    <name>AskpassServer</name>
    <message>
        <source>ssh asked &quot;%1&quot; and was given the SSH password saved in the keychain</source>
        <translation>ssh fragte „%1“ und erhielt das im Schlüsselbund gespeicherte SSH-Passwort</translation>
    </message>
    <message>
        <source>ssh asked &quot;%1&quot; and was given the passphrase saved in the keychain</source>
        <translation>ssh fragte „%1“ und erhielt die im Schlüsselbund gespeicherte Passphrase</translation>
    </message>
    <message>
        <source>ssh asked &quot;%1&quot; and was given nothing: the SSH password is saved, and this prompt is not for it</source>
        <translation>ssh fragte „%1“ und erhielt nichts: gespeichert ist das SSH-Passwort, und diese Abfrage gilt nicht ihm</translation>
    </message>
    <message>
        <source>ssh asked &quot;%1&quot; and was given nothing: the passphrase is saved, and this prompt is not for it</source>
        <translation>ssh fragte „%1“ und erhielt nichts: gespeichert ist die Passphrase, und diese Abfrage gilt nicht ihr</translation>
    </message>
    <message>
        <source>a jump host&apos;s ssh asked &quot;%1&quot; and was given nothing: the saved SSH password is the destination&apos;s</source>
        <translation>das ssh eines Sprung-Hosts fragte „%1“ und erhielt nichts: Das gespeicherte SSH-Passwort gehört zum Ziel</translation>
    </message>
    <message>
        <source>ssh asked &quot;%1&quot; again and was given nothing: it was answered as often as it asks</source>
        <translation>ssh fragte erneut „%1“ und erhielt nichts: Es wurde so oft beantwortet, wie es fragt</translation>
    </message>
</context>
<context>
    <name>AttemptWorker</name>
    <message>
        <source>%1 does not resolve: %2</source>
        <translation>%1 lässt sich nicht auflösen: %2</translation>
    </message>
    <message>
        <source>%1 resolves to %2</source>
        <translation>%1 wird aufgelöst zu %2</translation>
    </message>
    <message>
        <source>could not translate host name &quot;%1&quot; to address: %2</source>
        <translation>der Hostname „%1“ ließ sich nicht in eine Adresse übersetzen: %2</translation>
    </message>
    <message>
        <source>No name server answered: check the network connection, VPN and DNS settings</source>
        <translation>Kein Nameserver hat geantwortet: Prüfen Sie die Netzwerkverbindung, das VPN und die DNS-Einstellungen</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>kein Speicher mehr frei</translation>
    </message>
    <message>
        <source>The server facts could not be read: %1</source>
        <translation>Die Angaben des Servers ließen sich nicht lesen: %1</translation>
    </message>
    <message>
        <source>the password typed for this session</source>
        <translation>das für diese Sitzung eingegebene Passwort</translation>
    </message>
    <message>
        <source>the profile&apos;s password command</source>
        <translation>der Passwortbefehl des Profils</translation>
    </message>
    <message>
        <source>the keychain entry of this profile</source>
        <translation>der Schlüsselbundeintrag dieses Profils</translation>
    </message>
    <message>
        <source>standard input (--password-stdin)</source>
        <translation>die Standardeingabe (--password-stdin)</translation>
    </message>
    <message>
        <source>the password given for this connection</source>
        <translation>das für diese Verbindung angegebene Passwort</translation>
    </message>
    <message>
        <source>the connection string</source>
        <translation>die Verbindungszeichenfolge</translation>
    </message>
    <message>
        <source>the PGPASSWORD environment variable</source>
        <translation>die Umgebungsvariable PGPASSWORD</translation>
    </message>
    <message>
        <source>the password file %1</source>
        <translation>die Passwortdatei %1</translation>
    </message>
</context>
<context>
    <name>CapacityBar</name>
    <message>
        <source>%1 in this database, %2 in other databases, %3 of this tool&apos;s, %4 reserved, %5 free of max_connections %6</source>
        <translation>%1 in dieser Datenbank, %2 in anderen Datenbanken, %3 von diesem Programm, %4 reserviert, %5 von max_connections %6 frei</translation>
    </message>
</context>
<context>
    <name>Catalogue</name>
    <message>
        <source>a secret-looking argument in the tunnel command</source>
        <translation>ein Argument im Tunnelbefehl, das wie ein Geheimnis aussieht</translation>
    </message>
    <message>
        <source>a password in the SSH destination</source>
        <translation>ein Passwort im SSH-Ziel</translation>
    </message>
    <message>
        <source>a member named &quot;%1&quot;</source>
        <translation>ein Element namens „%1“</translation>
    </message>
    <message>
        <source>a catalogue never holds a password: keep it in the keychain and let password_source say where it comes from</source>
        <translation>ein Katalog enthält nie ein Passwort: Bewahren Sie es im Schlüsselbund auf und geben Sie mit password_source an, woher es kommt</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>the profile &quot;%1&quot; holds %2, which the catalogue would show (line %3); %4</source>
        <translation>das Profil „%1“ enthält %2, das im Katalog stehen würde (Zeile %3); %4</translation>
    </message>
    <message>
        <source>%1; %2</source>
        <translation>%1; %2</translation>
    </message>
    <message>
        <source>it is not valid JSON (%1)</source>
        <translation>es ist kein gültiges JSON (%1)</translation>
    </message>
    <message>
        <source>it is not a profile catalogue (no JSON object)</source>
        <translation>es ist kein Profilkatalog (kein JSON-Objekt)</translation>
    </message>
    <message>
        <source>the catalogue is of schema %1, which a newer version of orderflow-dbadmin writes; this one reads schema %2. Update orderflow-dbadmin to import it.</source>
        <translation>der Katalog hat Schema %1, das eine neuere Version von orderflow-dbadmin schreibt; diese liest Schema %2. Aktualisieren Sie orderflow-dbadmin, um ihn zu importieren.</translation>
    </message>
    <message>
        <source>it is not a profile catalogue (&quot;schema&quot;: %1 is missing or unknown)</source>
        <translation>es ist kein Profilkatalog („schema“: %1 fehlt oder ist unbekannt)</translation>
    </message>
    <message>
        <source>it is not a profile catalogue (&quot;profiles&quot; is not a list)</source>
        <translation>es ist kein Profilkatalog („profiles“ ist keine Liste)</translation>
    </message>
    <message>
        <source>a profile is not a JSON object</source>
        <translation>ein Profil ist kein JSON-Objekt</translation>
    </message>
    <message>
        <source>the profile &quot;%1&quot; has an id that is not one this program makes (a UUID such as %2)</source>
        <translation>das Profil „%1“ hat eine ID, wie sie dieses Programm nicht vergibt (eine UUID wie %2)</translation>
    </message>
    <message>
        <source>the id of &quot;%1&quot; is another profile&apos;s too</source>
        <translation>die ID von „%1“ hat auch ein anderes Profil</translation>
    </message>
    <message>
        <source>two profiles are named &quot;%1&quot; (names ignore case)</source>
        <translation>zwei Profile heißen „%1“ (Namen unterscheiden keine Groß- und Kleinschreibung)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the catalogue is another profile than the saved &quot;%2&quot; (their ids differ); rename or remove the saved one first</source>
        <translation>„%1“ im Katalog ist ein anderes Profil als das gespeicherte „%2“ (ihre IDs unterscheiden sich); benennen Sie das gespeicherte zuerst um oder entfernen Sie es</translation>
    </message>
    <message>
        <source>password: in this keychain</source>
        <translation>Passwort: in diesem Schlüsselbund</translation>
    </message>
    <message>
        <source>password: not in this keychain yet</source>
        <translation>Passwort: noch nicht in diesem Schlüsselbund</translation>
    </message>
    <message>
        <source>password: asked for when connecting</source>
        <translation>Passwort: wird beim Verbinden abgefragt</translation>
    </message>
    <message>
        <source>password: from PGPASSWORD or .pgpass</source>
        <translation>Passwort: aus PGPASSWORD oder .pgpass</translation>
    </message>
    <message>
        <source>password: printed by its password command</source>
        <translation>Passwort: von seinem Passwortbefehl ausgegeben</translation>
    </message>
    <message>
        <source>%1 added, %2 changed, %3 unchanged</source>
        <translation>%1 hinzugefügt, %2 geändert, %3 unverändert</translation>
    </message>
</context>
<context>
    <name>CatalogueImportDialog</name>
    <message>
        <source>Import team catalogue</source>
        <translation>Teamkatalog importieren</translation>
    </message>
    <message>
        <source>%1: %2. The keychain is not touched: a password this machine does not have yet is added on the profile&apos;s Connection page.</source>
        <translation>%1: %2. Der Schlüsselbund bleibt unberührt: Ein Passwort, das dieser Rechner noch nicht hat, tragen Sie auf der Seite „Verbindung“ des Profils ein.</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Unverändert</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Nothing to import: every profile of the catalogue is saved as it is.</source>
        <translation>Nichts zu importieren: Jedes Profil des Katalogs ist so gespeichert, wie es dort steht.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>This version does not know %1; only the file keeps them, and an export over it keeps them there.</source>
        <translation>Diese Version kennt %1 nicht; nur die Datei bewahrt sie auf, und ein Export über diese Datei behält sie dort.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a production profile here; the catalogue moves it to another environment, which lifts the read-only guard on this tool&apos;s sessions to it. Type its name to allow it:</source>
        <translation>&quot;%1&quot; ist hier ein Produktionsprofil; der Katalog verschiebt es in eine andere Umgebung, wodurch der Schreibschutz für die Sitzungen dieses Programms entfällt. Geben Sie zur Bestätigung seinen Namen ein:</translation>
    </message>
    <message>
        <source>Name of the production profile %1</source>
        <translation>Name des Produktionsprofils %1</translation>
    </message>
</context>
<context>
    <name>CertificateFields</name>
    <message>
        <source>(not set: prefer)</source>
        <translation>(nicht gesetzt: prefer)</translation>
    </message>
    <message>
        <source>SSL &amp;mode</source>
        <translation>SSL-&amp;Modus</translation>
    </message>
    <message>
        <source>Use the system&apos;s trusted certificates (sslrootcert=system)</source>
        <translation>Die vertrauenswürdigen Zertifikate des Systems verwenden (sslrootcert=system)</translation>
    </message>
    <message>
        <source>Needs libpq 16 or later; this is libpq %1.</source>
        <translation>Erfordert libpq 16 oder neuer; dies ist libpq %1.</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>Durchsuchen...</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Datei auswählen</translation>
    </message>
    <message>
        <source>Root certificate file (sslrootcert)</source>
        <translation>Stammzertifikat-Datei (sslrootcert)</translation>
    </message>
    <message>
        <source>Client certificate file (sslcert)</source>
        <translation>Client-Zertifikat-Datei (sslcert)</translation>
    </message>
    <message>
        <source>Client key file (sslkey)</source>
        <translation>Client-Schlüsseldatei (sslkey)</translation>
    </message>
    <message>
        <source>Browse: %1</source>
        <translation>Durchsuchen: %1</translation>
    </message>
</context>
<context>
    <name>CheckCommand</name>
    <message>
        <source>check needs either --profile NAME or --url URL</source>
        <translation>check braucht entweder --profile NAME oder --url URL</translation>
    </message>
    <message>
        <source>check takes --json or --report, not both</source>
        <translation>check nimmt --json oder --report, nicht beides</translation>
    </message>
    <message>
        <source>--timeout takes a number of seconds from 1 to 3600</source>
        <translation>--timeout nimmt eine Anzahl Sekunden von 1 bis 3600</translation>
    </message>
    <message>
        <source>test a connection and diagnose failures</source>
        <translation>eine Verbindung testen und Fehler diagnostizieren</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON ausgeben.</translation>
    </message>
    <message>
        <source>Print a report for a support ticket (versions, time, environment).</source>
        <translation>Einen Bericht für ein Support-Ticket ausgeben (Versionen, Uhrzeit, Umgebung).</translation>
    </message>
    <message>
        <source>Seconds for the whole attempt.</source>
        <translation>Sekunden für den ganzen Versuch.</translation>
    </message>
    <message>
        <source>--ssh and --tunnel-command go with --url; a profile has its own route</source>
        <translation>--ssh und --tunnel-command gehören zu --url; ein Profil hat seinen eigenen Weg</translation>
    </message>
    <message>
        <source>Add an SSH host key that is not known yet to ~/.ssh/known_hosts (a changed key is still refused).</source>
        <translation>Einen noch unbekannten SSH-Hostschlüssel in ~/.ssh/known_hosts aufnehmen (ein geänderter Schlüssel wird trotzdem abgelehnt).</translation>
    </message>
</context>
<context>
    <name>CheckVerdict</name>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL %1 in %2 ms.</source>
        <translation>Mit PostgreSQL %1 in %2 ms verbunden.</translation>
    </message>
    <message>
        <source>Connected, but 1 required check failed: %1.</source>
        <translation>Verbunden, aber 1 geforderte Prüfung ist fehlgeschlagen: %1.</translation>
    </message>
    <message>
        <source>Connected, but %1 required checks failed: %2.</source>
        <translation>Verbunden, aber %1 geforderte Prüfungen sind fehlgeschlagen: %2.</translation>
    </message>
</context>
<context>
    <name>CommandContext</name>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: no profile named &quot;%1&quot;</source>
        <translation>orderflow-dbadmin: kein Profil mit dem Namen „%1“</translation>
    </message>
    <message>
        <source>Add --rename to save under a free name (&quot;NAME 2&quot;), or --replace to replace the saved profile.</source>
        <translation>Geben Sie --rename an, um unter einem freien Namen („NAME 2“) zu speichern, oder --replace, um das gespeicherte Profil zu ersetzen.</translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation>unerwartetes Argument „%1“</translation>
    </message>
    <message>
        <source>Run orderflow-dbadmin --help for usage.</source>
        <translation>orderflow-dbadmin --help zeigt den Aufruf.</translation>
    </message>
</context>
<context>
    <name>CommandSupport</name>
    <message>
        <source>note: the password was given on the command line, where shell history and process lists can see it; --password-stdin avoids that.</source>
        <translation>Hinweis: Das Passwort stand auf der Befehlszeile, wo Shell-Verlauf und Prozesslisten es sehen; --password-stdin vermeidet das.</translation>
    </message>
    <message>
        <source>--password-stdin was given but standard input held no password</source>
        <translation>--password-stdin wurde angegeben, aber die Standardeingabe enthielt kein Passwort</translation>
    </message>
    <message>
        <source>When a name is taken, save as &quot;NAME 2&quot;.</source>
        <translation>Ist ein Name vergeben, als „NAME 2“ speichern.</translation>
    </message>
    <message>
        <source>When a name is taken, replace that profile.</source>
        <translation>Ist ein Name vergeben, dieses Profil ersetzen.</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>A saved profile.</source>
        <translation>Ein gespeichertes Profil.</translation>
    </message>
    <message>
        <source>A connection string.</source>
        <translation>Eine Verbindungszeichenfolge.</translation>
    </message>
    <message>
        <source>Read the password for --url from standard input.</source>
        <translation>Das Passwort für --url von der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>Reach the server through SSH: [user@]host[:port] or a Host of ~/.ssh/config. The host and port are then as the last SSH host sees them.</source>
        <translation>Den Server über SSH erreichen: [user@]host[:port] oder ein Host aus ~/.ssh/config. Host und Port gelten dann so, wie der letzte SSH-Host sie sieht.</translation>
    </message>
    <message>
        <source>Jump hosts before --ssh, comma-separated (as ProxyJump).</source>
        <translation>Jump-Hosts vor --ssh, durch Kommas getrennt (wie bei ProxyJump).</translation>
    </message>
    <message>
        <source>The key file every SSH host is logged in with.</source>
        <translation>Die Schlüsseldatei für die Anmeldung an jedem SSH-Host.</translation>
    </message>
    <message>
        <source>Reach the server through a command that listens on {port} (kubectl port-forward, aws ssm, cloud-sql-proxy), run without a shell.</source>
        <translation>Den Server über einen Befehl erreichen, der auf {port} lauscht (kubectl port-forward, aws ssm, cloud-sql-proxy); er läuft ohne Shell.</translation>
    </message>
    <message>
        <source>--ssh and --tunnel-command exclude each other</source>
        <translation>--ssh und --tunnel-command schließen einander aus</translation>
    </message>
    <message>
        <source>--ssh-jump and --ssh-identity need --ssh</source>
        <translation>--ssh-jump und --ssh-identity brauchen --ssh</translation>
    </message>
</context>
<context>
    <name>CommandTable</name>
    <message>
        <source>Exit codes: 0 healthy, 1 could not connect, 2 usage error or invalid input,
3 a required check failed, 4 keychain unavailable.
</source>
        <translation>Exit-Codes: 0 in Ordnung, 1 keine Verbindung möglich, 2 Aufruffehler oder ungültige Eingabe,
3 eine geforderte Prüfung ist fehlgeschlagen, 4 Schlüsselbund nicht verfügbar.
</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation>unbekannter Befehl „%1“</translation>
    </message>
    <message>
        <source>%1 needs %2</source>
        <translation>%1 braucht %2</translation>
    </message>
    <message>
        <source>%1 needs %2 or %3</source>
        <translation>%1 braucht %2 oder %3</translation>
    </message>
    <message>
        <source>unknown %1 action &quot;%2&quot; (%3)</source>
        <translation>unbekannte Aktion „%2“ für %1 (%3)</translation>
    </message>
    <message>
        <source>Usage:
</source>
        <translation>Aufruf:
</translation>
    </message>
    <message>
        <source>open the window, optionally on a profile</source>
        <translation>das Fenster öffnen, auf Wunsch mit einem Profil</translation>
    </message>
    <message>
        <source>SUBCOMMAND --help prints that subcommand&apos;s options.
URL is a postgresql:// or postgres:// URL, a SQLAlchemy postgresql+driver:// URL, or libpq key=value pairs.
ENV is development, staging, production, test or other.
Passwords are kept in the system keychain (service orderflow-dbadmin), never in the profiles file;
--password-stdin reads the password from standard input instead of the URL.
A name already saved is refused unless --rename or --replace says what to do.
</source>
        <translation>SUBCOMMAND --help zeigt die Optionen dieses Unterbefehls.
URL ist eine postgresql://- oder postgres://-URL, eine SQLAlchemy-URL postgresql+driver:// oder libpq-Paare key=value.
ENV ist development, staging, production, test oder other.
Passwörter liegen im Schlüsselbund des Systems (Dienst orderflow-dbadmin), nie in der Profildatei;
--password-stdin liest das Passwort von der Standardeingabe statt aus der URL.
Ein schon gespeicherter Name wird abgelehnt, außer --rename oder --replace sagt, was geschehen soll.
</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>Options:
</source>
        <translation>Optionen:
</translation>
    </message>
    <message>
        <source>%1 ACTION --help prints that action&apos;s options.
</source>
        <translation>%1 ACTION --help zeigt die Optionen dieser Aktion.
</translation>
    </message>
    <message>
        <source>the window in the Fusion style with a light or a dark palette</source>
        <translation>das Fenster im Fusion-Stil mit heller oder dunkler Palette</translation>
    </message>
    <message>
        <source>Environment: ORDERFLOW_DBADMIN_CONFIG_DIR overrides the folder of profiles.json and history.sqlite;
LANG, LC_ALL and LC_MESSAGES choose the language.
</source>
        <translation>Umgebung: ORDERFLOW_DBADMIN_CONFIG_DIR legt den Ordner von profiles.json und history.sqlite fest;
LANG, LC_ALL und LC_MESSAGES wählen die Sprache.
</translation>
    </message>
</context>
<context>
    <name>ConfirmStatementDialog</name>
    <message>
        <source>This statement will run on the server:</source>
        <translation>Diese Anweisung wird auf dem Server ausgeführt:</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>This is a production profile. Type its name, %1, to confirm.</source>
        <translation>Dies ist ein Produktionsprofil. Geben Sie zur Bestätigung seinen Namen ein: %1.</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Profile name to confirm</source>
        <translation>Profilname zur Bestätigung</translation>
    </message>
</context>
<context>
    <name>ConnectionAttempt</name>
    <message>
        <source>no answer within %1 s (%2)</source>
        <translation>keine Antwort innerhalb von %1 s (%2)</translation>
    </message>
    <message>
        <source>Looking up the host name took longer than the whole deadline: the name server is slow or unreachable</source>
        <translation>Die Namensauflösung dauerte länger als die ganze Frist: Der Nameserver ist langsam oder nicht erreichbar</translation>
    </message>
    <message>
        <source>The connection was established, but the server did not answer while: %1. The port may belong to another program, or the server is overloaded</source>
        <translation>Die Verbindung stand, aber der Server antwortete nicht bei: %1. Der Port gehört vielleicht einem anderen Programm, oder der Server ist überlastet</translation>
    </message>
    <message>
        <source>The server&apos;s address did not accept or refuse the connection: packets seem to be dropped (firewall)</source>
        <translation>Die Adresse des Servers hat die Verbindung weder angenommen noch abgelehnt: Pakete werden offenbar verworfen (Firewall)</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>the tunnel&apos;s port 127.0.0.1:%1 refused the connection</source>
        <translation>der Port 127.0.0.1:%1 des Tunnels hat die Verbindung abgewiesen</translation>
    </message>
    <message>
        <source>libpq said: %1</source>
        <translation>libpq meldete: %1</translation>
    </message>
    <message>
        <source>reached through the tunnel at 127.0.0.1:%1</source>
        <translation>über den Tunnel auf 127.0.0.1:%1 erreicht</translation>
    </message>
</context>
<context>
    <name>ConnectionStage</name>
    <message>
        <source>Read the connection settings</source>
        <translation>Verbindungseinstellungen lesen</translation>
    </message>
    <message>
        <source>Find the server&apos;s address</source>
        <translation>Adresse des Servers finden</translation>
    </message>
    <message>
        <source>Reach the server</source>
        <translation>Server erreichen</translation>
    </message>
    <message>
        <source>Set up encryption (TLS)</source>
        <translation>Verschlüsselung aufbauen (TLS)</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Open the database</source>
        <translation>Datenbank öffnen</translation>
    </message>
    <message>
        <source>Check the server</source>
        <translation>Server prüfen</translation>
    </message>
    <message>
        <source>Open the tunnel</source>
        <translation>Tunnel öffnen</translation>
    </message>
</context>
<context>
    <name>ConnectionTestView</name>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Bericht kopieren</translation>
    </message>
    <message>
        <source>Copies a report for a support ticket, without any password</source>
        <translation>Kopiert einen Bericht für ein Support-Ticket, ohne jedes Passwort</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Password for this session only (not stored)</source>
        <translation>Passwort nur für diese Sitzung (wird nicht gespeichert)</translation>
    </message>
    <message>
        <source>Use and test again</source>
        <translation>Verwenden und erneut testen</translation>
    </message>
    <message>
        <source>...</source>
        <translation>...</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Test the connection to %1.</source>
        <translation>Die Verbindung zu %1 testen.</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>In die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>nicht begonnen</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>ok, %1</source>
        <translation>in Ordnung, %1</translation>
    </message>
    <message>
        <source>failed, %1</source>
        <translation>fehlgeschlagen, %1</translation>
    </message>
    <message>
        <source>skipped: %1</source>
        <translation>übersprungen: %1</translation>
    </message>
    <message>
        <source>skipped, %1</source>
        <translation>übersprungen, %1</translation>
    </message>
    <message>
        <source>Type the password for %1: it is kept for this session only.</source>
        <translation>Geben Sie das Passwort für %1 ein: Es gilt nur für diese Sitzung.</translation>
    </message>
    <message>
        <source>Testing...</source>
        <translation>Wird getestet...</translation>
    </message>
    <message>
        <source>PostgreSQL %1</source>
        <translation>PostgreSQL %1</translation>
    </message>
    <message>
        <source>Encrypted: %1, %2</source>
        <translation>Verschlüsselt: %1, %2</translation>
    </message>
    <message>
        <source>Not encrypted (TLS not in use)</source>
        <translation>Nicht verschlüsselt (TLS nicht in Gebrauch)</translation>
    </message>
    <message>
        <source>Server certificate: %1, issued by %2, valid until %3</source>
        <translation>Serverzertifikat: %1, ausgestellt von %2, gültig bis %3</translation>
    </message>
    <message>
        <source>Round trip: %1 ms</source>
        <translation>Umlaufzeit: %1 ms</translation>
    </message>
    <message>
        <source>max_connections: %1 (%2 reserved for superusers)</source>
        <translation>max_connections: %1 (%2 für Superuser reserviert)</translation>
    </message>
    <message>
        <source>Required checks that failed, and what to do:

</source>
        <translation>Fehlgeschlagene geforderte Prüfungen und was zu tun ist:

</translation>
    </message>
    <message>
        <source>Parameters in effect:
</source>
        <translation>Wirksame Parameter:
</translation>
    </message>
    <message>
        <source>
(SQLSTATE %1)</source>
        <translation>
(SQLSTATE %1)</translation>
    </message>
    <message>
        <source>What we found:
</source>
        <translation>Was wir gefunden haben:
</translation>
    </message>
    <message>
        <source>What to do:
</source>
        <translation>Was zu tun ist:
</translation>
    </message>
    <message>
        <source>Warnings:
</source>
        <translation>Warnungen:
</translation>
    </message>
    <message>
        <source>Password for this session</source>
        <translation>Passwort für diese Sitzung</translation>
    </message>
    <message>
        <source>Test results</source>
        <translation>Testergebnisse</translation>
    </message>
    <message>
        <source>&amp;Accept this key and connect</source>
        <translation>Diesen Schlüssel &amp;annehmen und verbinden</translation>
    </message>
    <message>
        <source>&amp;Refuse</source>
        <translation>Ab&amp;lehnen</translation>
    </message>
    <message>
        <source>%1 is not in your known_hosts yet. The key it sent has the fingerprint
%2
Accept it only if it is the one the host&apos;s administrator gives you: ssh then keeps it in ~/.ssh/known_hosts and checks it on every later connection.</source>
        <translation>%1 steht noch nicht in Ihrer known_hosts. Der geschickte Schlüssel hat den Fingerabdruck
%2
Nehmen Sie ihn nur an, wenn es der ist, den Ihnen der Administrator des Hosts nennt: ssh legt ihn dann in ~/.ssh/known_hosts ab und prüft ihn bei jeder späteren Verbindung.</translation>
    </message>
    <message>
        <source>Through %1 (local port %2)</source>
        <translation>Über %1 (lokaler Port %2)</translation>
    </message>
    <message>
        <source>Recent tests</source>
        <translation>Letzte Tests</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Not tested yet.</source>
        <translation>Noch nicht getestet.</translation>
    </message>
    <message>
        <source>Last test: %1</source>
        <translation>Letzter Test: %1</translation>
    </message>
</context>
<context>
    <name>ConnectionUrl</name>
    <message>
        <source>the connection string is empty</source>
        <translation>die Verbindungszeichenfolge ist leer</translation>
    </message>
    <message>
        <source>the connection string contains a NUL character</source>
        <translation>die Verbindungszeichenfolge enthält ein NUL-Zeichen</translation>
    </message>
    <message>
        <source>unsupported scheme &quot;%1&quot;: expected postgresql://, postgres://, postgresql+driver:// or key=value pairs</source>
        <translation>nicht unterstütztes Schema „%1“: erwartet werden postgresql://, postgres://, postgresql+driver:// oder Paare key=value</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>kein Speicher mehr frei</translation>
    </message>
    <message>
        <source>unknown connection parameter &quot;%1&quot;</source>
        <translation>unbekannter Verbindungsparameter „%1“</translation>
    </message>
    <message>
        <source>port &quot;%1&quot; is not a number from 1 to 65535</source>
        <translation>Port „%1“ ist keine Zahl von 1 bis 65535</translation>
    </message>
    <message>
        <source>%1 ports given for %2 hosts</source>
        <translation>%1 Ports für %2 Hosts angegeben</translation>
    </message>
    <message>
        <source>the host name contains &quot;@&quot;: write an &quot;@&quot; in the password as %40</source>
        <translation>der Hostname enthält „@“: Schreiben Sie ein „@“ im Passwort als %40</translation>
    </message>
    <message>
        <source>sslmode &quot;%1&quot; is not one of %2</source>
        <translation>sslmode „%1“ ist keiner von %2</translation>
    </message>
    <message>
        <source>connect_timeout &quot;%1&quot; is not a number of seconds</source>
        <translation>connect_timeout „%1“ ist keine Anzahl Sekunden</translation>
    </message>
</context>
<context>
    <name>ConnectionsPanel</name>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>This database</source>
        <translation>Diese Datenbank</translation>
    </message>
    <message>
        <source>Whole server</source>
        <translation>Ganzer Server</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>Client address</source>
        <translation>Client-Adresse</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>superuser_reserved_connections %1</source>
        <translation>superuser_reserved_connections %1</translation>
    </message>
    <message>
        <source>, reserved_connections %1</source>
        <translation>, reserved_connections %1</translation>
    </message>
    <message>
        <source>Headroom is low: %1 of %2 slots free (under 20%). A deploy that opens more connections may hit &quot;too many clients&quot;.</source>
        <translation>Wenig Spielraum: %1 von %2 Verbindungsplätzen frei (unter 20 %). Ein Deployment, das mehr Verbindungen öffnet, kann auf „too many clients“ stoßen.</translation>
    </message>
    <message>
        <source>pid %1 (%2, %3)</source>
        <translation>PID %1 (%2, %3)</translation>
    </message>
    <message>
        <source>unknown user</source>
        <translation>unbekannter Benutzer</translation>
    </message>
    <message>
        <source>no application_name</source>
        <translation>kein application_name</translation>
    </message>
    <message>
        <source>%1 has been idle in transaction for %2 s: it holds locks and a slot; check for a missing commit or rollback.</source>
        <translation>%1 ist seit %2 s „idle in transaction“: Die Sitzung hält Sperren und einen Verbindungsplatz; suchen Sie nach einem fehlenden Commit oder Rollback.</translation>
    </message>
    <message>
        <source>%1 has been idle for %2 s, longer than pool_recycle (%3 s): a possible leak (a missing session.close()).</source>
        <translation>%1 ist seit %2 s untätig, länger als pool_recycle (%3 s): vielleicht ein Leck (ein fehlendes session.close()).</translation>
    </message>
    <message>
        <source>The numbers are partial: %1 is not a superuser or member of pg_read_all_stats, so other roles&apos; sessions show no state, client or query.</source>
        <translation>Die Zahlen sind unvollständig: %1 ist weder Superuser noch Mitglied von pg_read_all_stats, daher zeigen Sitzungen anderer Rollen weder Zustand noch Client noch Abfrage.</translation>
    </message>
    <message>
        <source>Migrations: an alembic_version table exists, but %1 may not read it.</source>
        <translation>Migrationen: Eine Tabelle alembic_version existiert, aber %1 darf sie nicht lesen.</translation>
    </message>
    <message>
        <source>Migrations: the alembic_version table exists but is empty. Run: cd backend &amp;&amp; alembic upgrade head</source>
        <translation>Migrationen: Die Tabelle alembic_version existiert, ist aber leer. Führen Sie aus: cd backend &amp;&amp; alembic upgrade head</translation>
    </message>
    <message>
        <source>Migrations: at revision %1 (alembic_version).</source>
        <translation>Migrationen: auf Revision %1 (alembic_version).</translation>
    </message>
    <message>
        <source>Migrations have not run here (no alembic_version table). Run: cd backend &amp;&amp; alembic upgrade head</source>
        <translation>Die Migrationen sind hier nicht gelaufen (keine Tabelle alembic_version). Führen Sie aus: cd backend &amp;&amp; alembic upgrade head</translation>
    </message>
    <message>
        <source>Sessions &amp;in</source>
        <translation>Sitzungen &amp;in</translation>
    </message>
    <message>
        <source>Sessions by state</source>
        <translation>Sitzungen nach Zustand</translation>
    </message>
    <message>
        <source>Sessions by application</source>
        <translation>Sitzungen nach Anwendung</translation>
    </message>
    <message>
        <source>Sessions by client address</source>
        <translation>Sitzungen nach Client-Adresse</translation>
    </message>
    <message>
        <source>Sessions by user</source>
        <translation>Sitzungen nach Benutzer</translation>
    </message>
    <message>
        <source>%1 max_connections %2, %3.</source>
        <translation>%1 max_connections %2, %3.</translation>
    </message>
    <message>
        <source>This tool&apos;s own sessions (%1) are left out.</source>
        <translation>Die eigenen Sitzungen dieses Programms (%1) sind nicht mitgezählt.</translation>
    </message>
</context>
<context>
    <name>Diagnosis</name>
    <message>
        <source>Connected.</source>
        <translation>Verbunden.</translation>
    </message>
    <message>
        <source>Nothing is accepting connections at that address and port.</source>
        <translation>An dieser Adresse und diesem Port nimmt nichts Verbindungen an.</translation>
    </message>
    <message>
        <source>Check if PostgreSQL is running: docker compose ps postgres</source>
        <translation>Prüfen Sie, ob PostgreSQL läuft: docker compose ps postgres</translation>
    </message>
    <message>
        <source>Check that the PostgreSQL server at {host} is running: ask its operator or look at its service status</source>
        <translation>Prüfen Sie, ob der PostgreSQL-Server auf {host} läuft: Fragen Sie seinen Betreiber oder sehen Sie sich den Dienststatus an</translation>
    </message>
    <message>
        <source>Verify port is not blocked: {reach}</source>
        <translation>Prüfen Sie, dass der Port nicht blockiert ist: {reach}</translation>
    </message>
    <message>
        <source>Check firewall settings</source>
        <translation>Prüfen Sie die Firewall-Einstellungen</translation>
    </message>
    <message>
        <source>Verify connection string hostname/port (now {host}, port {port})</source>
        <translation>Prüfen Sie Hostname und Port in der Verbindungszeichenfolge (jetzt {host}, Port {port})</translation>
    </message>
    <message>
        <source>The server&apos;s host name could not be found.</source>
        <translation>Der Hostname des Servers wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>Check the host name {host} in the connection string for typos</source>
        <translation>Prüfen Sie den Hostnamen {host} in der Verbindungszeichenfolge auf Tippfehler</translation>
    </message>
    <message>
        <source>If the name is internal (such as *.internal), connect to the VPN or network where it resolves</source>
        <translation>Ist der Name intern (etwa *.internal), verbinden Sie sich mit dem VPN oder Netz, in dem er aufgelöst wird</translation>
    </message>
    <message>
        <source>Try the server&apos;s IP address instead of its name to rule out DNS</source>
        <translation>Versuchen Sie die IP-Adresse des Servers statt seines Namens, um DNS auszuschließen</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>Check that {host} port {port} is the database server&apos;s, not another service&apos;s</source>
        <translation>Prüfen Sie, dass {host} Port {port} zum Datenbankserver gehört und nicht zu einem anderen Dienst</translation>
    </message>
    <message>
        <source>Check firewalls and security groups between you and the server: silently dropped packets look like this</source>
        <translation>Prüfen Sie Firewalls und Sicherheitsgruppen zwischen Ihnen und dem Server: Stillschweigend verworfene Pakete sehen so aus</translation>
    </message>
    <message>
        <source>If the network is slow, raise connect_timeout (seconds) in the connection string</source>
        <translation>Ist das Netz langsam, erhöhen Sie connect_timeout (Sekunden) in der Verbindungszeichenfolge</translation>
    </message>
    <message>
        <source>The server rejected the user name or password.</source>
        <translation>Der Server hat Benutzername oder Passwort abgelehnt.</translation>
    </message>
    <message>
        <source>Verify password in .env matches Docker Compose POSTGRES_PASSWORD</source>
        <translation>Prüfen Sie, ob das Passwort in .env mit POSTGRES_PASSWORD in Docker Compose übereinstimmt</translation>
    </message>
    <message>
        <source>Verify that the password saved for {user} is the current one: get it from the secret manager (AWS Secrets Manager, Vault) or the DBA, and save it in the profile (it goes to the keychain)</source>
        <translation>Prüfen Sie, ob das für {user} gespeicherte Passwort das aktuelle ist: Holen Sie es aus dem Secret-Manager (AWS Secrets Manager, Vault) oder vom DBA und speichern Sie es im Profil (es kommt in den Schlüsselbund)</translation>
    </message>
    <message>
        <source>Check DATABASE_URL environment variable</source>
        <translation>Prüfen Sie die Umgebungsvariable DATABASE_URL</translation>
    </message>
    <message>
        <source>Recreate database container: docker compose down -v &amp;&amp; docker compose up -d</source>
        <translation>Erstellen Sie den Datenbank-Container neu: docker compose down -v &amp;&amp; docker compose up -d</translation>
    </message>
    <message>
        <source>Ask the DBA to reset the password of {user} ({alterrole}) and save the new one in the profile; never recreate this server&apos;s container or volumes</source>
        <translation>Bitten Sie den DBA, das Passwort von {user} zurückzusetzen ({alterrole}), und speichern Sie das neue im Profil; erstellen Sie Container oder Volumes dieses Servers nie neu</translation>
    </message>
    <message>
        <source>With scram-sha-256 a user that does not exist is reported the same way: check the user name ({user}) too</source>
        <translation>Mit scram-sha-256 wird ein Benutzer, den es nicht gibt, genauso gemeldet: Prüfen Sie auch den Benutzernamen ({user})</translation>
    </message>
    <message>
        <source>The database user (role) does not exist.</source>
        <translation>Den Datenbankbenutzer (die Rolle) gibt es nicht.</translation>
    </message>
    <message>
        <source>Check the user name in the connection string (now {user}; OrderFlow&apos;s is orderflow)</source>
        <translation>Prüfen Sie den Benutzernamen in der Verbindungszeichenfolge (jetzt {user}; der von OrderFlow ist orderflow)</translation>
    </message>
    <message>
        <source>Ask an administrator to create it: {createrole}</source>
        <translation>Bitten Sie einen Administrator, sie anzulegen: {createrole}</translation>
    </message>
    <message>
        <source>The database does not exist on this server.</source>
        <translation>Die Datenbank gibt es auf diesem Server nicht.</translation>
    </message>
    <message>
        <source>Check the database name in the connection string (now {dbname}; OrderFlow uses orderflow, its tests orderflow_test)</source>
        <translation>Prüfen Sie den Datenbanknamen in der Verbindungszeichenfolge (jetzt {dbname}; OrderFlow verwendet orderflow, seine Tests orderflow_test)</translation>
    </message>
    <message>
        <source>Create the database once: {createdb}</source>
        <translation>Legen Sie die Datenbank einmal an: {createdb}</translation>
    </message>
    <message>
        <source>If the database should exist, ask the DBA: it may have been renamed or not yet created here ({createdb})</source>
        <translation>Sollte die Datenbank existieren, fragen Sie den DBA: Vielleicht wurde sie umbenannt oder hier noch nicht angelegt ({createdb})</translation>
    </message>
    <message>
        <source>Then run the migrations: cd backend &amp;&amp; alembic upgrade head</source>
        <translation>Führen Sie dann die Migrationen aus: cd backend &amp;&amp; alembic upgrade head</translation>
    </message>
    <message>
        <source>The server only accepts encrypted (SSL) connections, and this one was not encrypted.</source>
        <translation>Der Server nimmt nur verschlüsselte (SSL-)Verbindungen an, und diese war nicht verschlüsselt.</translation>
    </message>
    <message>
        <source>Add ?sslmode=require to connection string (now sslmode={sslmode})</source>
        <translation>Ergänzen Sie ?sslmode=require in der Verbindungszeichenfolge (jetzt sslmode={sslmode})</translation>
    </message>
    <message>
        <source>Add ?sslmode=verify-full&amp;sslrootcert=/path/to/ca.crt to the connection string (now sslmode={sslmode})</source>
        <translation>Ergänzen Sie ?sslmode=verify-full&amp;sslrootcert=/path/to/ca.crt in der Verbindungszeichenfolge (jetzt sslmode={sslmode})</translation>
    </message>
    <message>
        <source>For development, disable SSL requirement in PostgreSQL config</source>
        <translation>Schalten Sie für die Entwicklung die SSL-Pflicht in der PostgreSQL-Konfiguration ab</translation>
    </message>
    <message>
        <source>Keep the server&apos;s SSL requirement: it protects this environment&apos;s data</source>
        <translation>Behalten Sie die SSL-Pflicht des Servers bei: Sie schützt die Daten dieser Umgebung</translation>
    </message>
    <message>
        <source>For production, configure SSL certificates</source>
        <translation>Richten Sie für die Produktion SSL-Zertifikate ein</translation>
    </message>
    <message>
        <source>The connection requires SSL, but the server does not offer it.</source>
        <translation>Die Verbindung verlangt SSL, aber der Server bietet es nicht an.</translation>
    </message>
    <message>
        <source>For production, configure SSL certificates on the server (ssl = on, ssl_cert_file, ssl_key_file)</source>
        <translation>Richten Sie für die Produktion SSL-Zertifikate auf dem Server ein (ssl = on, ssl_cert_file, ssl_key_file)</translation>
    </message>
    <message>
        <source>For a local development server only, use sslmode=prefer or sslmode=disable (now sslmode={sslmode})</source>
        <translation>Nur für einen lokalen Entwicklungsserver: Verwenden Sie sslmode=prefer oder sslmode=disable (jetzt sslmode={sslmode})</translation>
    </message>
    <message>
        <source>Keep sslmode={sslmode}: ask the server&apos;s administrator to enable TLS rather than sending this environment&apos;s data unencrypted</source>
        <translation>Behalten Sie sslmode={sslmode} bei: Bitten Sie den Administrator des Servers, TLS einzuschalten, statt die Daten dieser Umgebung unverschlüsselt zu senden</translation>
    </message>
    <message>
        <source>Check that {host} port {port} is the intended server (a pooler or proxy in between may not offer SSL)</source>
        <translation>Prüfen Sie, ob {host} Port {port} der gemeinte Server ist (ein Pooler oder Proxy dazwischen bietet vielleicht kein SSL an)</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified.</source>
        <translation>Das Zertifikat des Servers ließ sich nicht verifizieren.</translation>
    </message>
    <message>
        <source>Point sslrootcert at the CA certificate that signed the server&apos;s certificate (sslmode=verify-full&amp;sslrootcert=/path/to/ca.crt)</source>
        <translation>Lassen Sie sslrootcert auf das CA-Zertifikat zeigen, das das Serverzertifikat signiert hat (sslmode=verify-full&amp;sslrootcert=/path/to/ca.crt)</translation>
    </message>
    <message>
        <source>With verify-full, connect with the host name the certificate names (now {host}), not an IP address or alias</source>
        <translation>Verbinden Sie sich mit verify-full über den Hostnamen, den das Zertifikat nennt (jetzt {host}), nicht über eine IP-Adresse oder einen Alias</translation>
    </message>
    <message>
        <source>For AWS RDS, use the RDS CA bundle as sslrootcert</source>
        <translation>Verwenden Sie für AWS RDS das RDS-CA-Bundle als sslrootcert</translation>
    </message>
    <message>
        <source>The server&apos;s access rules (pg_hba.conf) do not allow this connection.</source>
        <translation>Die Zugriffsregeln des Servers (pg_hba.conf) erlauben diese Verbindung nicht.</translation>
    </message>
    <message>
        <source>Ask the database administrator to allow your address, user {user} and database {dbname} in pg_hba.conf (and reload the server)</source>
        <translation>Bitten Sie den Datenbankadministrator, Ihre Adresse, den Benutzer {user} und die Datenbank {dbname} in pg_hba.conf zuzulassen (und die Konfiguration des Servers neu zu laden)</translation>
    </message>
    <message>
        <source>Check that you connect from an allowed network (VPN, bastion host)</source>
        <translation>Prüfen Sie, ob Sie sich aus einem erlaubten Netz verbinden (VPN, Bastion-Host)</translation>
    </message>
    <message>
        <source>Check the user and database names: pg_hba.conf rules match on both</source>
        <translation>Prüfen Sie Benutzer- und Datenbanknamen: Die Regeln in pg_hba.conf prüfen beide</translation>
    </message>
    <message>
        <source>The server has no free connection slots for this user.</source>
        <translation>Der Server hat für diesen Benutzer keine freien Verbindungsplätze.</translation>
    </message>
    <message>
        <source>Check max_connections in PostgreSQL config</source>
        <translation>Prüfen Sie max_connections in der PostgreSQL-Konfiguration</translation>
    </message>
    <message>
        <source>Reduce pool_size + max_overflow in database.py</source>
        <translation>Verringern Sie pool_size + max_overflow in database.py</translation>
    </message>
    <message>
        <source>Fix connection leaks (missing session.close())</source>
        <translation>Beheben Sie Verbindungslecks (fehlendes session.close())</translation>
    </message>
    <message>
        <source>Increase PostgreSQL max_connections parameter</source>
        <translation>Erhöhen Sie den PostgreSQL-Parameter max_connections</translation>
    </message>
    <message>
        <source>The server closed the connection unexpectedly.</source>
        <translation>Der Server hat die Verbindung unerwartet geschlossen.</translation>
    </message>
    <message>
        <source>Enable pool_pre_ping=True (already default in OrderFlow)</source>
        <translation>Schalten Sie pool_pre_ping=True ein (in OrderFlow schon Standard)</translation>
    </message>
    <message>
        <source>Reduce pool_recycle time: create_engine(DATABASE_URL, pool_recycle=1800)</source>
        <translation>Verkürzen Sie die Zeit für pool_recycle: create_engine(DATABASE_URL, pool_recycle=1800)</translation>
    </message>
    <message>
        <source>Check that {host} port {port} is a PostgreSQL server (another service may accept and drop the connection)</source>
        <translation>Prüfen Sie, ob {host} Port {port} ein PostgreSQL-Server ist (ein anderer Dienst nimmt die Verbindung vielleicht an und bricht sie ab)</translation>
    </message>
    <message>
        <source>Check the server log for a crash, restart or terminated backend</source>
        <translation>Suchen Sie im Serverlog nach einem Absturz, Neustart oder beendeten Backend</translation>
    </message>
    <message>
        <source>The connection string could not be read.</source>
        <translation>Die Verbindungszeichenfolge ließ sich nicht lesen.</translation>
    </message>
    <message>
        <source>Use the format postgresql://user:password@host:port/database?parameters</source>
        <translation>Verwenden Sie das Format postgresql://user:password@host:port/database?parameters</translation>
    </message>
    <message>
        <source>Percent-encode special characters in the password (@ as %40, : as %3A, / as %2F)</source>
        <translation>Kodieren Sie Sonderzeichen im Passwort mit Prozentzeichen (@ als %40, : als %3A, / als %2F)</translation>
    </message>
    <message>
        <source>The password could not be read from the system keychain.</source>
        <translation>Das Passwort ließ sich nicht aus dem Schlüsselbund des Systems lesen.</translation>
    </message>
    <message>
        <source>Unlock the keychain (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) and try again</source>
        <translation>Entsperren Sie den Schlüsselbund (GNOME Keyring, KWallet, macOS-Schlüsselbund, Windows-Anmeldeinformationsverwaltung) und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>Or type the password for this session only: it is not stored</source>
        <translation>Oder geben Sie das Passwort nur für diese Sitzung ein: Es wird nicht gespeichert</translation>
    </message>
    <message>
        <source>The connection failed for a reason not recognised.</source>
        <translation>Die Verbindung ist aus einem nicht erkannten Grund fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Read the server&apos;s message below</source>
        <translation>Lesen Sie die Meldung des Servers unten</translation>
    </message>
    <message>
        <source>Check the server log at the time of the attempt</source>
        <translation>Sehen Sie im Serverlog zur Zeit des Versuchs nach</translation>
    </message>
    <message>
        <source>%1 (destroys data: removes the container&apos;s volumes, every database in them included)</source>
        <translation>%1 (vernichtet Daten: entfernt die Volumes des Containers samt jeder Datenbank darin)</translation>
    </message>
    <message>
        <source>The SSH server (or a jump host) could not be reached.</source>
        <translation>Der SSH-Server (oder ein Sprunghost) war nicht erreichbar.</translation>
    </message>
    <message>
        <source>Check the SSH host&apos;s name and port in the profile&apos;s route, and that you are on the network (VPN) where it answers</source>
        <translation>Prüfen Sie Namen und Port des SSH-Hosts im Weg des Profils und ob Sie im Netz (VPN) sind, in dem er antwortet</translation>
    </message>
    <message>
        <source>Try the same route in a terminal: ssh -v with the host of the route, to see where it stops</source>
        <translation>Versuchen Sie denselben Weg im Terminal: ssh -v mit dem Host des Wegs, um zu sehen, wo es hängt</translation>
    </message>
    <message>
        <source>The SSH host&apos;s key is not known yet: it was not accepted.</source>
        <translation>Der Schlüssel des SSH-Hosts ist noch unbekannt: Er wurde nicht angenommen.</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the one the host&apos;s administrator gives you; only then accept it (the window&apos;s Accept button, or --accept-new-host-key on the command line)</source>
        <translation>Vergleichen Sie den Fingerabdruck mit dem, den Ihnen der Administrator des Hosts nennt; erst dann annehmen (Schaltfläche „Annehmen“ im Fenster oder --accept-new-host-key auf der Befehlszeile)</translation>
    </message>
    <message>
        <source>A key accepted once is kept in ~/.ssh/known_hosts, as ssh itself keeps it: later connections check it there</source>
        <translation>Ein einmal angenommener Schlüssel bleibt in ~/.ssh/known_hosts, wie ssh selbst ihn ablegt: Spätere Verbindungen prüfen ihn dort</translation>
    </message>
    <message>
        <source>The SSH host sent another key than the one known for it: this may be an attack.</source>
        <translation>Der SSH-Host hat einen anderen Schlüssel geschickt als den für ihn bekannten: Das kann ein Angriff sein.</translation>
    </message>
    <message>
        <source>Do not connect until the host&apos;s administrator confirms that the host key was replaced: someone may be intercepting the connection (man in the middle)</source>
        <translation>Verbinden Sie sich erst, wenn der Administrator des Hosts bestätigt, dass der Hostschlüssel ersetzt wurde: Jemand könnte die Verbindung abfangen (Man in the Middle)</translation>
    </message>
    <message>
        <source>Compare the fingerprint the host sent with the one its administrator gives you</source>
        <translation>Vergleichen Sie den Fingerabdruck, den der Host geschickt hat, mit dem, den Ihnen sein Administrator nennt</translation>
    </message>
    <message>
        <source>The SSH host refused the login.</source>
        <translation>Der SSH-Host hat die Anmeldung abgelehnt.</translation>
    </message>
    <message>
        <source>Check that the public half of the key is in the SSH user&apos;s ~/.ssh/authorized_keys on that host</source>
        <translation>Prüfen Sie, ob der öffentliche Teil des Schlüssels in ~/.ssh/authorized_keys des SSH-Benutzers auf diesem Host steht</translation>
    </message>
    <message>
        <source>If the key has a passphrase, load it into ssh-agent (ssh-add) or save the passphrase in the profile: there is no terminal to type it in</source>
        <translation>Hat der Schlüssel eine Passphrase, laden Sie ihn in den ssh-agent (ssh-add) oder speichern Sie die Passphrase im Profil: Es gibt kein Terminal, um sie einzugeben</translation>
    </message>
    <message>
        <source>The last SSH host could not reach the database server.</source>
        <translation>Der letzte SSH-Host konnte den Datenbankserver nicht erreichen.</translation>
    </message>
    <message>
        <source>The profile&apos;s host {host} and port {port} are as the last SSH host sees them: check that they answer from there</source>
        <translation>Host {host} und Port {port} des Profils gelten so, wie der letzte SSH-Host sie sieht: Prüfen Sie, ob sie von dort antworten</translation>
    </message>
    <message>
        <source>If ssh says &quot;administratively prohibited&quot;, the SSH server does not allow forwarding (AllowTcpForwarding in sshd_config)</source>
        <translation>Meldet ssh „administratively prohibited“, erlaubt der SSH-Server keine Weiterleitung (AllowTcpForwarding in sshd_config)</translation>
    </message>
    <message>
        <source>The tunnel did not open.</source>
        <translation>Der Tunnel hat sich nicht geöffnet.</translation>
    </message>
    <message>
        <source>Run the command in a terminal, with a free port number in place of its port placeholder, to see what it says</source>
        <translation>Führen Sie den Befehl im Terminal aus, mit einer freien Portnummer statt seines Port-Platzhalters, um zu sehen, was er meldet</translation>
    </message>
    <message>
        <source>Check that its program is installed and logged in (kubectl context, aws sso login, gcloud auth)</source>
        <translation>Prüfen Sie, ob sein Programm installiert und angemeldet ist (kubectl-Kontext, aws sso login, gcloud auth)</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>Verbindung abgewiesen</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>Host nicht gefunden</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>authentication</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>role not found</source>
        <translation>Rolle nicht gefunden</translation>
    </message>
    <message>
        <source>database not found</source>
        <translation>Datenbank nicht gefunden</translation>
    </message>
    <message>
        <source>SSL required</source>
        <translation>SSL verlangt</translation>
    </message>
    <message>
        <source>SSL not offered</source>
        <translation>SSL nicht angeboten</translation>
    </message>
    <message>
        <source>certificate not verified</source>
        <translation>Zertifikat nicht bestätigt</translation>
    </message>
    <message>
        <source>rejected by pg_hba.conf</source>
        <translation>von pg_hba.conf abgewiesen</translation>
    </message>
    <message>
        <source>too many connections</source>
        <translation>zu viele Verbindungen</translation>
    </message>
    <message>
        <source>server closed the connection</source>
        <translation>Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>invalid URL</source>
        <translation>ungültige URL</translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation>Schlüsselbund nicht erreichbar</translation>
    </message>
    <message>
        <source>SSH host unreachable</source>
        <translation>SSH-Host nicht erreichbar</translation>
    </message>
    <message>
        <source>unknown SSH host key</source>
        <translation>unbekannter SSH-Hostschlüssel</translation>
    </message>
    <message>
        <source>SSH host key changed</source>
        <translation>SSH-Hostschlüssel geändert</translation>
    </message>
    <message>
        <source>SSH authentication</source>
        <translation>SSH-Anmeldung</translation>
    </message>
    <message>
        <source>SSH forwarding</source>
        <translation>SSH-Weiterleitung</translation>
    </message>
    <message>
        <source>tunnel command</source>
        <translation>Tunnelbefehl</translation>
    </message>
    <message>
        <source>unrecognised failure</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>EnvFile</name>
    <message>
        <source>line %1: expected KEY=value</source>
        <translation>Zeile %1: KEY=value erwartet</translation>
    </message>
    <message>
        <source>line %1: the text before &quot;=&quot; is not a variable name (letters, digits and _, not starting with a digit)</source>
        <translation>Zeile %1: Der Text vor „=“ ist kein Variablenname (Buchstaben, Ziffern und _, nicht mit einer Ziffer am Anfang)</translation>
    </message>
    <message>
        <source>line %1: the quoted value of %2 is not closed</source>
        <translation>Zeile %1: Der Wert von %2 in Anführungszeichen ist nicht abgeschlossen</translation>
    </message>
    <message>
        <source>line %1: unexpected text after the quoted value of %2</source>
        <translation>Zeile %1: unerwarteter Text nach dem Wert von %2 in Anführungszeichen</translation>
    </message>
    <message>
        <source>line %1 sets %2 again (first set on line %3): the last one counts</source>
        <translation>Zeile %1 setzt %2 erneut (zuerst gesetzt in Zeile %3): Der letzte Wert gilt</translation>
    </message>
</context>
<context>
    <name>Environment</name>
    <message>
        <source>Development</source>
        <translation>Entwicklung</translation>
    </message>
    <message>
        <source>Staging</source>
        <translation>Staging</translation>
    </message>
    <message>
        <source>Production</source>
        <translation>Produktion</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>development</source>
        <comment>inside a sentence</comment>
        <translation>Entwicklung</translation>
    </message>
    <message>
        <source>staging</source>
        <comment>inside a sentence</comment>
        <translation>Staging</translation>
    </message>
    <message>
        <source>production</source>
        <comment>inside a sentence</comment>
        <translation>Produktion</translation>
    </message>
    <message>
        <source>test</source>
        <comment>inside a sentence</comment>
        <translation>Test</translation>
    </message>
    <message>
        <source>other</source>
        <comment>inside a sentence</comment>
        <translation>Sonstige</translation>
    </message>
</context>
<context>
    <name>ErrorClassifier</name>
    <message>
        <source>the open session</source>
        <translation>die offene Sitzung</translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <source>export needs exactly one profile NAME</source>
        <translation>export braucht genau einen Profilnamen NAME</translation>
    </message>
    <message>
        <source>export needs --format %1</source>
        <translation>export braucht --format %1</translation>
    </message>
    <message>
        <source>The password could not be read from the keychain: %1</source>
        <translation>Das Passwort ließ sich nicht aus dem Schlüsselbund lesen: %1</translation>
    </message>
    <message>
        <source>warning: the output contains the password of %1; keep it out of version control.</source>
        <translation>Warnung: Die Ausgabe enthält das Passwort von %1; halten Sie sie aus der Versionsverwaltung heraus.</translation>
    </message>
    <message>
        <source>print a profile in the format another tool reads</source>
        <translation>ein Profil in dem Format ausgeben, das ein anderes Werkzeug liest</translation>
    </message>
    <message>
        <source>The format: %1.</source>
        <translation>Das Format: %1.</translation>
    </message>
    <message>
        <source>Include the password from the keychain.</source>
        <translation>Das Passwort aus dem Schlüsselbund einfügen.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>.env file</source>
        <translation>.env-Datei</translation>
    </message>
    <message>
        <source>pg_service.conf section</source>
        <translation>Abschnitt in pg_service.conf</translation>
    </message>
    <message>
        <source>docker compose environment block</source>
        <translation>environment-Block für docker compose</translation>
    </message>
    <message>
        <source>SQLAlchemy create_engine(...)</source>
        <translation>SQLAlchemy create_engine(...)</translation>
    </message>
    <message>
        <source>psql command line</source>
        <translation>psql-Befehlszeile</translation>
    </message>
    <message>
        <source>Include the password</source>
        <translation>Passwort einfügen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Save as...</source>
        <translation>Speichern unter...</translation>
    </message>
    <message>
        <source>The text holds the password: keep it out of version control, chat and tickets.</source>
        <translation>Der Text enthält das Passwort: Halten Sie ihn aus Versionsverwaltung, Chat und Tickets heraus.</translation>
    </message>
    <message>
        <source>%1 is inside a git working tree and not ignored: the password would be committed with the next &quot;git add&quot;. Add it to .gitignore first.</source>
        <translation>%1 liegt in einem Git-Arbeitsverzeichnis und wird nicht ignoriert: Das Passwort würde mit dem nächsten „git add“ committet. Tragen Sie die Datei zuerst in .gitignore ein.</translation>
    </message>
    <message>
        <source>Save export</source>
        <translation>Export speichern</translation>
    </message>
    <message>
        <source>Password in a git working tree</source>
        <translation>Passwort in einem Git-Arbeitsverzeichnis</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <source>Exported text</source>
        <translation>Exportierter Text</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>%1 wurde nicht gespeichert: %2</translation>
    </message>
</context>
<context>
    <name>ExtensionRequirements</name>
    <message>
        <source>gen_random_uuid() is built into PostgreSQL 13 and later, so neither uuid-ossp nor pgcrypto is strictly needed on this server.</source>
        <translation>gen_random_uuid() ist ab PostgreSQL 13 eingebaut, daher braucht dieser Server weder uuid-ossp noch pgcrypto unbedingt.</translation>
    </message>
    <message>
        <source>built-in gen_random_uuid()</source>
        <translation>eingebautes gen_random_uuid()</translation>
    </message>
    <message>
        <source>pgvector is created with the SQL name &quot;vector&quot;: CREATE EXTENSION vector;</source>
        <translation>pgvector wird unter dem SQL-Namen „vector“ angelegt: CREATE EXTENSION vector;</translation>
    </message>
    <message>
        <source>Debian/Ubuntu: sudo apt install postgresql-%1-pgvector (from the PostgreSQL apt repository, apt.postgresql.org)</source>
        <translation>Debian/Ubuntu: sudo apt install postgresql-%1-pgvector (aus dem apt-Repository von PostgreSQL, apt.postgresql.org)</translation>
    </message>
    <message>
        <source>RHEL/Fedora: sudo dnf install pgvector_%1 (from the PostgreSQL yum repository)</source>
        <translation>RHEL/Fedora: sudo dnf install pgvector_%1 (aus dem yum-Repository von PostgreSQL)</translation>
    </message>
    <message>
        <source>macOS (Homebrew): brew install pgvector</source>
        <translation>macOS (Homebrew): brew install pgvector</translation>
    </message>
    <message>
        <source>Docker: use the image pgvector/pgvector:pg%1 instead of postgres:%1</source>
        <translation>Docker: Verwenden Sie das Image pgvector/pgvector:pg%1 statt postgres:%1</translation>
    </message>
    <message>
        <source>%1 ships with PostgreSQL&apos;s contrib modules</source>
        <translation>%1 gehört zu den contrib-Modulen von PostgreSQL</translation>
    </message>
    <message>
        <source>Debian/Ubuntu: sudo apt install postgresql-contrib (part of postgresql-%1)</source>
        <translation>Debian/Ubuntu: sudo apt install postgresql-contrib (Teil von postgresql-%1)</translation>
    </message>
    <message>
        <source>RHEL/Fedora: sudo dnf install postgresql%1-contrib</source>
        <translation>RHEL/Fedora: sudo dnf install postgresql%1-contrib</translation>
    </message>
    <message>
        <source>The official Docker image already includes it</source>
        <translation>Das offizielle Docker-Image enthält sie bereits</translation>
    </message>
    <message>
        <source>Install the extension&apos;s package for PostgreSQL %1 on the server, then create it in the database</source>
        <translation>Installieren Sie das Paket der Erweiterung für PostgreSQL %1 auf dem Server und legen Sie sie dann in der Datenbank an</translation>
    </message>
    <message>
        <source>%1 is not installed on the server: no role can create it until its package is installed</source>
        <translation>%1 ist auf dem Server nicht installiert: Keine Rolle kann die Erweiterung anlegen, bevor ihr Paket installiert ist</translation>
    </message>
    <message>
        <source>%1 is a superuser</source>
        <translation>%1 ist Superuser</translation>
    </message>
    <message>
        <source>%1 is a trusted extension and %2 has CREATE on database %3</source>
        <translation>%1 ist eine vertrauenswürdige Erweiterung, und %2 hat CREATE auf der Datenbank %3</translation>
    </message>
    <message>
        <source>%1 is trusted, but %2 lacks CREATE on database %3: ask an administrator to GRANT CREATE ON DATABASE %3 TO %2, or to create it</source>
        <translation>%1 ist vertrauenswürdig, aber %2 fehlt CREATE auf der Datenbank %3: Bitten Sie einen Administrator um GRANT CREATE ON DATABASE %3 TO %2 oder darum, die Erweiterung anzulegen</translation>
    </message>
    <message>
        <source>Only a superuser can create %1 (it is not a trusted extension): ask an administrator to run the statement</source>
        <translation>Nur ein Superuser kann %1 anlegen (keine vertrauenswürdige Erweiterung): Bitten Sie einen Administrator, die Anweisung auszuführen</translation>
    </message>
</context>
<context>
    <name>ExtensionsPanel</name>
    <message>
        <source>Required extensions</source>
        <translation>Geforderte Erweiterungen</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>Anforderung</translation>
    </message>
    <message>
        <source>Extension</source>
        <translation>Erweiterung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Installed in this database (\dx)</source>
        <translation>In dieser Datenbank installiert (\dx)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>installed, update available (ALTER EXTENSION &quot;%1&quot; UPDATE)</source>
        <translation>installiert, Aktualisierung verfügbar (ALTER EXTENSION &quot;%1&quot; UPDATE)</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <source>available on the server, not created here</source>
        <translation>auf dem Server verfügbar, hier nicht angelegt</translation>
    </message>
    <message>
        <source>missing from the server</source>
        <translation>fehlt auf dem Server</translation>
    </message>
    <message>
        <source>To get %1:</source>
        <translation>So bekommen Sie %1:</translation>
    </message>
    <message>
        <source>Extensions installed in this database</source>
        <translation>In dieser Datenbank installierte Erweiterungen</translation>
    </message>
    <message>
        <source>Create %1...</source>
        <translation>%1 anlegen...</translation>
    </message>
</context>
<context>
    <name>FailureRefiner</name>
    <message>
        <source>The socket file %1 exists, but no server accepts connections on it (a stale file from a stopped server?)</source>
        <translation>Die Socket-Datei %1 existiert, aber kein Server nimmt darauf Verbindungen an (eine übrig gebliebene Datei eines gestoppten Servers?)</translation>
    </message>
    <message>
        <source>There is no socket file %1: no server runs with that socket folder and port</source>
        <translation>Es gibt keine Socket-Datei %1: Kein Server läuft mit diesem Socket-Ordner und Port</translation>
    </message>
    <message>
        <source>%1 port %2 does not answer: packets seem to be dropped</source>
        <translation>%1 Port %2 antwortet nicht: Pakete werden offenbar verworfen</translation>
    </message>
    <message>
        <source>There is no network route to %1</source>
        <translation>Es gibt keine Netzwerkroute zu %1</translation>
    </message>
    <message>
        <source>Nothing listens on %1 port %2 (the connection was refused)</source>
        <translation>Auf %1 Port %2 lauscht nichts (die Verbindung wurde abgelehnt)</translation>
    </message>
    <message>
        <source>No PostgreSQL server answers on this machine&apos;s loopback ports or usual socket folders: start it (docker compose up -d postgres, or your system&apos;s service manager)</source>
        <translation>Kein PostgreSQL-Server antwortet auf den Loopback-Ports oder in den üblichen Socket-Ordnern dieses Rechners: Starten Sie ihn (docker compose up -d postgres oder mit der Dienstverwaltung Ihres Systems)</translation>
    </message>
    <message>
        <source>A PostgreSQL server answers on this machine on port(s) %1</source>
        <translation>Ein PostgreSQL-Server antwortet auf diesem Rechner auf Port(s) %1</translation>
    </message>
    <message>
        <source>Did you mean port %1? Change the port in the connection string (now %2)</source>
        <translation>Meinten Sie Port %1? Ändern Sie den Port in der Verbindungszeichenfolge (jetzt %2)</translation>
    </message>
    <message>
        <source>The connection was not encrypted (sslmode=%1), and the same connection with sslmode=require gets past pg_hba.conf: the matching line is of type hostssl</source>
        <translation>Die Verbindung war nicht verschlüsselt (sslmode=%1), und dieselbe Verbindung mit sslmode=require kommt an pg_hba.conf vorbei: Die passende Zeile ist vom Typ hostssl</translation>
    </message>
    <message>
        <source>pg_hba.conf has no line that accepts this user, database and address (or a reject line matches first)</source>
        <translation>pg_hba.conf hat keine Zeile, die diesen Benutzer, diese Datenbank und diese Adresse annimmt (oder eine reject-Zeile passt zuerst)</translation>
    </message>
    <message>
        <source>The server offers TLS (it answered the SSL request with &apos;S&apos;)</source>
        <translation>Der Server bietet TLS an (er hat die SSL-Anfrage mit &apos;S&apos; beantwortet)</translation>
    </message>
    <message>
        <source>The server does not offer TLS (it answered the SSL request with &apos;N&apos;)</source>
        <translation>Der Server bietet kein TLS an (er hat die SSL-Anfrage mit &apos;N&apos; beantwortet)</translation>
    </message>
    <message>
        <source>Something accepts connections on %1 port %2 but closes them at once without a word: it does not behave like PostgreSQL</source>
        <translation>Etwas nimmt auf %1 Port %2 Verbindungen an, schließt sie aber sofort wortlos: Es verhält sich nicht wie PostgreSQL</translation>
    </message>
    <message>
        <source>Something accepts connections on %1 port %2 but never answers</source>
        <translation>Etwas nimmt auf %1 Port %2 Verbindungen an, antwortet aber nie</translation>
    </message>
    <message>
        <source>The program on %1 port %2 does not speak PostgreSQL&apos;s protocol</source>
        <translation>Das Programm auf %1 Port %2 spricht nicht das Protokoll von PostgreSQL</translation>
    </message>
    <message>
        <source>When last seen, the server allowed max_connections = %1, of which %2 are reserved (superuser_reserved_connections %3, reserved_connections %4): %5 for ordinary users</source>
        <translation>Zuletzt erlaubte der Server max_connections = %1, davon %2 reserviert (superuser_reserved_connections %3, reserved_connections %4): %5 für gewöhnliche Benutzer</translation>
    </message>
    <message>
        <source>The server&apos;s max_connections is not visible from a refused connection: a superuser can still connect to the reserved slots and run SHOW max_connections</source>
        <translation>Über eine abgelehnte Verbindung ist max_connections des Servers nicht zu sehen: Ein Superuser kann sich noch über die reservierten Plätze verbinden und SHOW max_connections ausführen</translation>
    </message>
    <message>
        <source>The user tried was %1, with the password from %2</source>
        <translation>Versucht wurde der Benutzer %1; Herkunft des Passworts: %2</translation>
    </message>
    <message>
        <source>The user tried was %1, with no password: the password file %2 was ignored, because other users may read it (libpq only uses one with mode 0600 or stricter)</source>
        <translation>Versucht wurde der Benutzer %1, ohne Passwort: Die Passwortdatei %2 wurde übergangen, weil andere Benutzer sie lesen dürfen (libpq verwendet nur eine mit Modus 0600 oder strenger)</translation>
    </message>
    <message>
        <source>Make the password file private: chmod 0600 %1</source>
        <translation>Machen Sie die Passwortdatei privat: chmod 0600 %1</translation>
    </message>
    <message>
        <source>The user tried was %1. No password was supplied: none is stored for this profile, and neither PGPASSWORD nor .pgpass provided one</source>
        <translation>Versucht wurde der Benutzer %1. Es wurde kein Passwort übergeben: Für dieses Profil ist keins gespeichert, und weder PGPASSWORD noch .pgpass lieferten eins</translation>
    </message>
    <message>
        <source>The user tried was %1</source>
        <translation>Versucht wurde der Benutzer %1</translation>
    </message>
    <message>
        <source>The maintenance databases (postgres, template1) did not open with the same credentials either, so the databases on this server could not be listed</source>
        <translation>Auch die Wartungsdatenbanken (postgres, template1) ließen sich mit denselben Anmeldedaten nicht öffnen, daher konnten die Datenbanken dieses Servers nicht aufgelistet werden</translation>
    </message>
    <message>
        <source>%1 may not open any database on this server</source>
        <translation>%1 darf auf diesem Server keine Datenbank öffnen</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> und %1 weitere</translation>
    </message>
    <message>
        <source>The databases %1 may open on this server: %2</source>
        <translation>Datenbanken, die %1 auf diesem Server öffnen darf: %2</translation>
    </message>
    <message>
        <source>Did you mean %1? Change the database in the connection string (now %2)</source>
        <translation>Meinten Sie %1? Ändern Sie die Datenbank in der Verbindungszeichenfolge (jetzt %2)</translation>
    </message>
</context>
<context>
    <name>FingerprintCheck</name>
    <message>
        <source>The %1 profile &quot;%2&quot; reached the cluster remembered for the %3 profile &quot;%4&quot; (system identifier %5 at %6:%7). Check its host and port before doing anything else.</source>
        <translation>Das Profil „%2“ (%1) hat den Cluster erreicht, der für das Profil „%4“ (%3) gespeichert ist (Systemkennung %5 auf %6:%7). Prüfen Sie Host und Port, bevor Sie irgendetwas anderes tun.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; reached a different cluster than the one it first reached on %2 (system identifier %3, now %4). If the server was not rebuilt on purpose, check the host and port.</source>
        <translation>„%1“ hat einen anderen Cluster erreicht als beim ersten Mal am %2 (Systemkennung %3, jetzt %4). Wurde der Server nicht absichtlich neu aufgesetzt, prüfen Sie Host und Port.</translation>
    </message>
</context>
<context>
    <name>GuiApplication</name>
    <message>
        <source>Open this profile.</source>
        <translation>Dieses Profil öffnen.</translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <source>About OrderFlow DB Admin</source>
        <translation>Über OrderFlow DB Admin</translation>
    </message>
    <message>
        <source>OrderFlow DB Admin %1</source>
        <translation>OrderFlow DB Admin %1</translation>
    </message>
    <message>
        <source>Saved connection profiles whose passwords stay in the keychain, connection tests that explain failures, and the server and its pools as OrderFlow sees them.

Qt %1
libpq %2
%3</source>
        <translation>Gespeicherte Verbindungsprofile, deren Passwörter im Schlüsselbund bleiben, Verbindungstests, die Fehler erklären, und der Server mit seinen Pools, wie OrderFlow sie sieht.

Qt %1
libpq %2
%3</translation>
    </message>
    <message>
        <source>OrderFlow DB Admin: Read Me</source>
        <translation>OrderFlow DB Admin: Liesmich</translation>
    </message>
    <message>
        <source>Read Me</source>
        <translation>Liesmich</translation>
    </message>
</context>
<context>
    <name>HistoryCommand</name>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>history export needs --profile NAME</source>
        <translation>history export braucht --profile NAME</translation>
    </message>
    <message>
        <source>--since takes a duration such as 30s, 15m, 24h or 7d</source>
        <translation>--since nimmt eine Dauer wie 30s, 15m, 24h oder 7d</translation>
    </message>
    <message>
        <source>--format takes csv or json</source>
        <translation>--format nimmt csv oder json</translation>
    </message>
    <message>
        <source>--rows takes samples, minutes or tests</source>
        <translation>--rows nimmt samples, minutes oder tests</translation>
    </message>
    <message>
        <source>The saved profile&apos;s name.</source>
        <translation>Der Name des gespeicherten Profils.</translation>
    </message>
    <message>
        <source>print a profile&apos;s recorded samples or tests</source>
        <translation>die aufgezeichneten Messungen oder Tests eines Profils ausgeben</translation>
    </message>
    <message>
        <source>How far back: 30s, 15m, 24h, 7d (samples are kept for 24 hours, minutes for 30 days).</source>
        <translation>Wie weit zurück: 30s, 15m, 24h, 7d (Messungen werden 24 Stunden lang aufbewahrt, Minutenwerte 30 Tage lang).</translation>
    </message>
    <message>
        <source>csv (a header row, then one row each) or json (one object per line, as monitor --json prints them).</source>
        <translation>csv (eine Kopfzeile, dann je eine Zeile) oder json (ein Objekt pro Zeile, wie monitor --json sie ausgibt).</translation>
    </message>
    <message>
        <source>samples (1 Hz, default), minutes (min, max and mean per minute) or tests (the last 50 connection tests).</source>
        <translation>samples (1 Hz, Standard), minutes (Minimum, Maximum und Mittel pro Minute) oder tests (die letzten 50 Verbindungstests).</translation>
    </message>
    <message>
        <source>apply the history&apos;s retention now</source>
        <translation>die Aufbewahrungsregeln des Verlaufs jetzt anwenden</translation>
    </message>
    <message>
        <source>forget the history of one profile, or of all</source>
        <translation>den Verlauf eines Profils oder aller Profile löschen</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>History is not recorded: %1 cannot be used (%2).</source>
        <translation>Der Verlauf wird nicht aufgezeichnet: %1 kann nicht verwendet werden (%2).</translation>
    </message>
    <message>
        <source>the file is damaged: %1</source>
        <translation>die Datei ist beschädigt: %1</translation>
    </message>
    <message>
        <source>History is not recorded: %1 was written by a newer version of the program.</source>
        <translation>Der Verlauf wird nicht aufgezeichnet: %1 wurde von einer neueren Version des Programms geschrieben.</translation>
    </message>
    <message>
        <source>History is not recorded: %1 cannot be used (%2) and could not be moved aside.</source>
        <translation>Der Verlauf wird nicht aufgezeichnet: %1 kann nicht verwendet werden (%2) und konnte nicht beiseitegelegt werden.</translation>
    </message>
    <message>
        <source>The history file could not be used (%1). It was kept as %2 and a new one was started.</source>
        <translation>Die Verlaufsdatei konnte nicht verwendet werden (%1). Sie wurde als %2 aufbewahrt, und eine neue wurde angelegt.</translation>
    </message>
    <message>
        <source>the file stayed locked for %1 s (%2)</source>
        <translation>die Datei blieb %1 s lang gesperrt (%2)</translation>
    </message>
    <message>
        <source>History could not be written: %1</source>
        <translation>Der Verlauf konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>History is not recorded: %1 is locked by another program, and this one is closing.</source>
        <translation>Der Verlauf wird nicht aufgezeichnet: %1 ist von einem anderen Programm gesperrt, und dieses wird gerade beendet.</translation>
    </message>
    <message>
        <source>History cannot be read: %1 cannot be used (%2).</source>
        <translation>Der Verlauf kann nicht gelesen werden: %1 kann nicht verwendet werden (%2).</translation>
    </message>
</context>
<context>
    <name>ImportCommand</name>
    <message>
        <source>%1: %2 (nothing was imported)</source>
        <translation>%1: %2 (nichts wurde importiert)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; took its password from %2 into the keychain.</source>
        <translation>„%1“ hat sein Passwort aus %2 in den Schlüsselbund übernommen.</translation>
    </message>
    <message>
        <source>%1: no entry matches a saved profile&apos;s host, port, database and user; nothing was imported</source>
        <translation>%1: Kein Eintrag passt zu Host, Port, Datenbank und Benutzer eines gespeicherten Profils; nichts wurde importiert</translation>
    </message>
    <message>
        <source>import needs one of --env FILE, --pg-service FILE or --pgpass FILE</source>
        <translation>import braucht eines von --env FILE, --pg-service FILE oder --pgpass FILE</translation>
    </message>
    <message>
        <source>--rename and --replace exclude each other</source>
        <translation>--rename und --replace schließen einander aus</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 ist nicht lesbar: %2</translation>
    </message>
    <message>
        <source>%1: warning: %2</source>
        <translation>%1: Warnung: %2</translation>
    </message>
    <message>
        <source>%1: nothing was imported.</source>
        <translation>%1: Nichts wurde importiert.</translation>
    </message>
    <message>
        <source>Imported &quot;%1&quot; (%2): %3%4</source>
        <translation>„%1“ importiert (%2): %3%4</translation>
    </message>
    <message>
        <source>, password in the keychain</source>
        <translation>, Passwort im Schlüsselbund</translation>
    </message>
    <message>
        <source>save profiles from a file, passwords from .pgpass</source>
        <translation>Profile aus einer Datei speichern, Passwörter aus .pgpass</translation>
    </message>
    <message>
        <source>A .env file.</source>
        <translation>Eine .env-Datei.</translation>
    </message>
    <message>
        <source>A pg_service.conf file.</source>
        <translation>Eine Datei pg_service.conf.</translation>
    </message>
    <message>
        <source>A .pgpass file.</source>
        <translation>Eine .pgpass-Datei.</translation>
    </message>
</context>
<context>
    <name>ImportFile</name>
    <message>
        <source>the file is larger than %1 MiB, which no .env, pg_service.conf, .pgpass or team catalogue file is</source>
        <translation>die Datei ist größer als %1 MiB, so groß ist keine .env-, pg_service.conf-, .pgpass- oder Teamkatalog-Datei</translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 Min.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 Min.</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T. %2 Std.</translation>
    </message>
    <message>
        <source>%1–%2 · unreachable · %3</source>
        <translation>%1–%2 · nicht erreichbar · %3</translation>
    </message>
    <message>
        <source>%1–%2 · %3 · peak %4/%5 sessions</source>
        <translation>%1–%2 · %3 · Spitze %4/%5 Sitzungen</translation>
    </message>
</context>
<context>
    <name>MainMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New Profile</source>
        <translation>&amp;Neues Profil</translation>
    </message>
    <message>
        <source>&amp;Import...</source>
        <translation>&amp;Importieren...</translation>
    </message>
    <message>
        <source>&amp;Export...</source>
        <translation>&amp;Exportieren...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>D&amp;uplicate Profile</source>
        <translation>Profil &amp;duplizieren</translation>
    </message>
    <message>
        <source>&amp;Delete Profile...</source>
        <translation>Profil &amp;löschen...</translation>
    </message>
    <message>
        <source>&amp;Copy URL</source>
        <translation>URL &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy URL with &amp;Password</source>
        <translation>URL mit &amp;Passwort kopieren</translation>
    </message>
    <message>
        <source>&amp;Find Profile</source>
        <translation>Profil &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <source>&amp;Test Connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>&amp;Rotate Password...</source>
        <translation>Passwort &amp;erneuern...</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Read Me</source>
        <translation>&amp;Liesmich</translation>
    </message>
    <message>
        <source>&amp;About OrderFlow DB Admin</source>
        <translation>Ü&amp;ber OrderFlow DB Admin</translation>
    </message>
    <message>
        <source>No profile is selected.</source>
        <translation>Kein Profil ausgewählt.</translation>
    </message>
    <message>
        <source>A generated password, set on the server and saved here in one step</source>
        <translation>Ein erzeugtes Passwort, in einem Schritt auf dem Server gesetzt und hier gespeichert</translation>
    </message>
    <message>
        <source>Import Team &amp;Catalogue...</source>
        <translation>Team&amp;katalog importieren...</translation>
    </message>
    <message>
        <source>Export Team Catalo&amp;gue...</source>
        <translation>Teamkatalog e&amp;xportieren...</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>OrderFlow DB Admin</source>
        <translation>OrderFlow DB Admin</translation>
    </message>
    <message>
        <source>Add the Development, Staging, Production and Test profiles</source>
        <translation>Die Profile Development, Staging, Production und Test anlegen</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>No profiles yet. Start from the standard OrderFlow environments (no passwords are stored until you add them).</source>
        <translation>Noch keine Profile. Beginnen Sie mit den Standardumgebungen von OrderFlow (Passwörter werden erst gespeichert, wenn Sie sie eintragen).</translation>
    </message>
    <message>
        <source>Select a profile.</source>
        <translation>Wählen Sie ein Profil.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The profile &quot;%1&quot; has unsaved changes.</source>
        <translation>Das Profil „%1“ hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Not tested yet</source>
        <translation>Noch nicht getestet</translation>
    </message>
    <message>
        <source>You are opening the production profile &quot;%1&quot; on this machine for the first time. It reaches the live database: changes to the server ask you to type the profile&apos;s name.</source>
        <translation>Sie öffnen das Produktionsprofil „%1“ zum ersten Mal auf diesem Rechner. Es erreicht die Live-Datenbank: Für Änderungen am Server müssen Sie den Namen des Profils eingeben.</translation>
    </message>
    <message>
        <source>PRODUCTION - %1 - OrderFlow DB Admin</source>
        <translation>PRODUKTION - %1 - OrderFlow DB Admin</translation>
    </message>
    <message>
        <source>%1 (%2) - OrderFlow DB Admin</source>
        <translation>%1 (%2) - OrderFlow DB Admin</translation>
    </message>
    <message>
        <source>There is no profile named &quot;%1&quot;.</source>
        <translation>Es gibt kein Profil mit dem Namen „%1“.</translation>
    </message>
    <message>
        <source>No password is stored for this profile.</source>
        <translation>Für dieses Profil ist kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>The URL with its password is on the clipboard for 30 seconds.</source>
        <translation>Die URL mit ihrem Passwort liegt 30 Sekunden lang in der Zwischenablage.</translation>
    </message>
    <message>
        <source>The profile was not saved</source>
        <translation>Das Profil wurde nicht gespeichert</translation>
    </message>
    <message>
        <source>The pool settings were not saved: %1</source>
        <translation>Die Pool-Einstellungen wurden nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Unexpected cluster</source>
        <translation>Unerwarteter Cluster</translation>
    </message>
    <message>
        <source>Saving a change to the profiles; the window closes when it is done.</source>
        <translation>Eine Änderung an den Profilen wird gespeichert; das Fenster schließt sich, sobald das erledigt ist.</translation>
    </message>
    <message>
        <source>The SSH passphrase or password was not saved</source>
        <translation>Die SSH-Passphrase bzw. das SSH-Passwort wurde nicht gespeichert</translation>
    </message>
</context>
<context>
    <name>MinuteHistory</name>
    <message>
        <source>in the database</source>
        <translation>in der Datenbank</translation>
    </message>
</context>
<context>
    <name>MonitorCommand</name>
    <message>
        <source>monitor needs either --profile NAME or --url URL</source>
        <translation>monitor braucht entweder --profile NAME oder --url URL</translation>
    </message>
    <message>
        <source>--interval takes milliseconds from 100 to 3600000</source>
        <translation>--interval nimmt Millisekunden von 100 bis 3600000</translation>
    </message>
    <message>
        <source>--samples takes a positive number</source>
        <translation>--samples nimmt eine positive Zahl</translation>
    </message>
    <message>
        <source>invalid connection string: %1</source>
        <translation>ungültige Verbindungszeichenfolge: %1</translation>
    </message>
    <message>
        <source>Milliseconds between samples (default 1000).</source>
        <translation>Millisekunden zwischen zwei Stichproben (Vorgabe 1000).</translation>
    </message>
    <message>
        <source>Stop after N samples.</source>
        <translation>Nach N Stichproben aufhören.</translation>
    </message>
    <message>
        <source>One JSON object per line.</source>
        <translation>Ein JSON-Objekt pro Zeile.</translation>
    </message>
    <message>
        <source>time      ok  in_db  active  idle  idle_tx  total/usable  pool  tool</source>
        <translation>Zeit      ok  in_db  active  idle  idle_tx  total/usable  pool  tool</translation>
    </message>
    <message>
        <source>--all goes with --listen</source>
        <translation>--all gilt nur zusammen mit --listen</translation>
    </message>
    <message>
        <source>monitor takes one --profile, or several with --listen</source>
        <translation>monitor nimmt ein --profile, mehrere nur zusammen mit --listen</translation>
    </message>
    <message>
        <source>--listen does not take --%1</source>
        <translation>--listen lässt sich nicht mit --%1 verbinden</translation>
    </message>
    <message>
        <source>--listen needs --profile NAME (one or more) or --all</source>
        <translation>--listen braucht --profile NAME (einmal oder mehrmals) oder --all</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: there are no profiles to monitor</source>
        <translation>orderflow-dbadmin: Es sind keine Profile gespeichert, die überwacht werden könnten</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: cannot listen on %1: %2</source>
        <translation>orderflow-dbadmin: Auf %1 kann nicht auf Verbindungen gewartet werden: %2</translation>
    </message>
    <message>
        <source>Serving metrics at http://%1:%2/metrics until stopped (SIGTERM).</source>
        <translation>Die Metriken stehen unter http://%1:%2/metrics bereit, bis das Programm beendet wird (SIGTERM).</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: profile &quot;%1&quot;: %2 %3</source>
        <translation>orderflow-dbadmin: Profil „%1“: %2 %3</translation>
    </message>
    <message>
        <source>sample a server&apos;s connections and pool use, or serve them to Prometheus</source>
        <translation>Verbindungen und Pool-Auslastung eines Servers in Stichproben messen oder für Prometheus bereitstellen</translation>
    </message>
    <message>
        <source>Serve the samples of each --profile (or of --all) at http://ADDR:PORT/metrics for Prometheus, until SIGTERM; ADDR is an IP address, port 0 takes a free port.</source>
        <translation>Stellt die Stichproben jedes --profile (oder aller Profile mit --all) unter http://ADDR:PORT/metrics für Prometheus bereit, bis SIGTERM eintrifft; ADDR ist eine IP-Adresse, Port 0 wählt einen freien Port.</translation>
    </message>
    <message>
        <source>With --listen: every saved profile.</source>
        <translation>Mit --listen: alle gespeicherten Profile.</translation>
    </message>
    <message>
        <source>--listen takes ADDR:PORT with an IP address as ADDR, such as 127.0.0.1:9187 or [::1]:9187</source>
        <translation>--listen erwartet ADDR:PORT mit einer IP-Adresse als ADDR, etwa 127.0.0.1:9187 oder [::1]:9187</translation>
    </message>
    <message>
        <source>--record needs --profile NAME</source>
        <translation>--record braucht --profile NAME</translation>
    </message>
    <message>
        <source>Also keep each sample in the history (history export reads it back).</source>
        <translation>Jede Messung auch im Verlauf aufbewahren (history export liest sie wieder aus).</translation>
    </message>
</context>
<context>
    <name>ParameterSources</name>
    <message>
        <source>PGPASSWORD is set in the environment and supplies the password for this connection</source>
        <translation>PGPASSWORD ist in der Umgebung gesetzt und liefert das Passwort für diese Verbindung</translation>
    </message>
    <message>
        <source>%1=%2 in the environment sets %3 for this connection, which does not set it itself</source>
        <translation>%1=%2 in der Umgebung setzt %3 für diese Verbindung, die es nicht selbst setzt</translation>
    </message>
</context>
<context>
    <name>PasswordResolver</name>
    <message>
        <source>A password was saved for this profile, but the keychain has no entry for it now: it was removed outside this program. Save the password again, or type it for this session only.</source>
        <translation>Für dieses Profil wurde ein Passwort gespeichert, aber der Schlüsselbund hat jetzt keinen Eintrag dafür: Er wurde außerhalb dieses Programms entfernt. Speichern Sie das Passwort erneut oder geben Sie es nur für diese Sitzung ein.</translation>
    </message>
    <message>
        <source>Run the password command yourself in a terminal to see what it says</source>
        <translation>Führen Sie den Passwortbefehl selbst in einem Terminal aus, um zu sehen, was er meldet</translation>
    </message>
    <message>
        <source>Check that its credentials (AWS profile, Vault token) are still valid</source>
        <translation>Prüfen Sie, ob seine Anmeldedaten (AWS-Profil, Vault-Token) noch gültig sind</translation>
    </message>
    <message>
        <source>The profile gets its password from a command, but no command is set.</source>
        <translation>Das Profil bezieht sein Passwort von einem Befehl, aber es ist kein Befehl eingetragen.</translation>
    </message>
    <message>
        <source>The password command %1 failed (exit code %2).</source>
        <translation>Der Passwortbefehl %1 ist fehlgeschlagen (Exit-Code %2).</translation>
    </message>
    <message>
        <source>The password command %1 printed nothing.</source>
        <translation>Der Passwortbefehl %1 hat nichts ausgegeben.</translation>
    </message>
    <message>
        <source>The password command %1 could not be started.</source>
        <translation>Der Passwortbefehl %1 ließ sich nicht starten.</translation>
    </message>
    <message>
        <source>The password command %1 did not finish within %2 s.</source>
        <translation>Der Passwortbefehl %1 ist nicht innerhalb von %2 s fertig geworden.</translation>
    </message>
</context>
<context>
    <name>PasswordRotation</name>
    <message>
        <source>&quot;%1&quot; has no saved password to rotate: save one first (the old password is needed to log in, and to put it back should a step fail).</source>
        <translation>„%1“ hat kein gespeichertes Passwort zum Rotieren: Speichern Sie zuerst eins (das alte Passwort wird zum Anmelden gebraucht und um es wiederherzustellen, falls ein Schritt scheitert).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; gets its password from a command: rotate it in the secret manager that command reads from, which then hands out the new one.</source>
        <translation>„%1“ bezieht sein Passwort von einem Befehl: Rotieren Sie es im Secret-Manager, aus dem dieser Befehl liest; der gibt dann das neue aus.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; leaves its password to libpq (PGPASSWORD, .pgpass, the service file): change it there, where every tool that reads it will find it.</source>
        <translation>„%1“ überlässt sein Passwort libpq (PGPASSWORD, .pgpass, die Servicedatei): Ändern Sie es dort, wo jedes Werkzeug es findet, das es liest.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; asks for its password every time, so nothing here holds it: change it where you keep it, then on the server.</source>
        <translation>„%1“ fragt jedes Mal nach seinem Passwort, hier ist es also nirgends hinterlegt: Ändern Sie es dort, wo Sie es aufbewahren, und dann auf dem Server.</translation>
    </message>
    <message>
        <source>A rotation is already under way.</source>
        <translation>Eine Rotation läuft bereits.</translation>
    </message>
    <message>
        <source>The profile no longer exists.</source>
        <translation>Das Profil gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a production profile: rotating its password needs its name typed to confirm</source>
        <translation>„%1“ ist ein Produktionsprofil: Um sein Passwort zu rotieren, muss zur Bestätigung sein Name eingegeben werden</translation>
    </message>
    <message>
        <source>a password length from %1 to %2 characters</source>
        <translation>eine Passwortlänge von %1 bis %2 Zeichen</translation>
    </message>
    <message>
        <source>The current password could not be read from the keychain: %1</source>
        <translation>Das aktuelle Passwort ließ sich nicht aus dem Schlüsselbund lesen: %1</translation>
    </message>
    <message>
        <source>Could not log in with the current password, so nothing was changed: %1</source>
        <translation>Die Anmeldung mit dem aktuellen Passwort ist gescheitert, daher wurde nichts geändert: %1</translation>
    </message>
    <message>
        <source>The server refused the new password, so nothing was changed: %1</source>
        <translation>Der Server hat das neue Passwort abgelehnt, daher wurde nichts geändert: %1</translation>
    </message>
    <message>
        <source>The server took the new password but a fresh login with it failed: %1</source>
        <translation>Der Server hat das neue Passwort übernommen, aber eine neue Anmeldung damit ist gescheitert: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was removed or changed elsewhere during the rotation, so its keychain entry was left alone.</source>
        <translation>„%1“ wurde während der Rotation anderswo entfernt oder geändert, daher blieb sein Schlüsselbundeintrag unberührt.</translation>
    </message>
    <message>
        <source>The keychain did not answer in time, and may still save the new password: %1</source>
        <translation>Der Schlüsselbund hat nicht rechtzeitig geantwortet und speichert das neue Passwort vielleicht noch: %1</translation>
    </message>
    <message>
        <source>The server keeps the new password, shown once below. Check the profile with a connection test; if it fails, save this password in it.</source>
        <translation>Der Server behält das neue Passwort, das unten einmalig angezeigt wird. Prüfen Sie das Profil mit einem Verbindungstest; schlägt er fehl, speichern Sie dieses Passwort darin.</translation>
    </message>
    <message>
        <source>The new password could not be saved in the keychain: %1</source>
        <translation>Das neue Passwort ließ sich nicht im Schlüsselbund speichern: %1</translation>
    </message>
    <message>
        <source>The keychain entry of &quot;%1&quot; kept the new password.</source>
        <translation>Der Schlüsselbundeintrag von „%1“ hat das neue Passwort behalten.</translation>
    </message>
    <message>
        <source>The password was rotated, but its date could not be saved: %1</source>
        <translation>Das Passwort wurde rotiert, aber sein Datum ließ sich nicht speichern: %1</translation>
    </message>
    <message>
        <source>The old password was put back on the server; the keychain and the profile still hold it.</source>
        <translation>Das alte Passwort wurde auf dem Server wiederhergestellt; Schlüsselbund und Profil enthalten es weiterhin.</translation>
    </message>
    <message>
        <source>The old password could not be put back on the server either: %1</source>
        <translation>Auch das alte Passwort ließ sich auf dem Server nicht wiederherstellen: %1</translation>
    </message>
    <message>
        <source>The server now expects the new password, shown once below. Keep it: save it in the profile, or set a password of your choice with ALTER ROLE.</source>
        <translation>Der Server erwartet jetzt das neue Passwort, das unten einmalig angezeigt wird. Bewahren Sie es auf: Speichern Sie es im Profil oder setzen Sie mit ALTER ROLE ein Passwort Ihrer Wahl.</translation>
    </message>
    <message>
        <source>The connection broke as the new password was committed; the old password still logs in, so nothing was changed.</source>
        <translation>Die Verbindung brach ab, während das neue Passwort festgeschrieben wurde; das alte Passwort meldet sich weiterhin an, also wurde nichts geändert.</translation>
    </message>
    <message>
        <source>The connection broke as the new password was committed, and the server has not let either password log in since: %1</source>
        <translation>Die Verbindung brach ab, während das neue Passwort festgeschrieben wurde, und der Server hat seitdem keines der beiden Passwörter angenommen: %1</translation>
    </message>
    <message>
        <source>The server holds either the old password, which the keychain keeps, or the new one, shown once below. When the server answers again, run a connection test; if the password is refused, save this one in the profile.</source>
        <translation>Der Server hat entweder das alte Passwort, das der Schlüsselbund behält, oder das neue, das unten einmal angezeigt wird. Sobald der Server wieder antwortet, testen Sie die Verbindung; wird das Passwort abgelehnt, speichern Sie dieses im Profil.</translation>
    </message>
</context>
<context>
    <name>PgBouncerRoute</name>
    <message>
        <source>PgBouncer&apos;s admin console (%1) is not read: the profile&apos;s tunnel command forwards only the database&apos;s port, so PgBouncer cannot be reached through it.</source>
        <translation>Die Admin-Konsole von PgBouncer (%1) wird nicht gelesen: Der Tunnelbefehl des Profils leitet nur den Port der Datenbank weiter, PgBouncer ist darüber nicht erreichbar.</translation>
    </message>
</context>
<context>
    <name>PgPassFile</name>
    <message>
        <source>line %1: expected hostname:port:database:username:password</source>
        <translation>Zeile %1: hostname:port:database:username:password erwartet</translation>
    </message>
    <message>
        <source>%1 may be read by other users; libpq ignores such a file, and so do we. Run: chmod 0600 %1</source>
        <translation>%1 ist für andere Benutzer lesbar; libpq übergeht eine solche Datei, und wir auch. Führen Sie aus: chmod 0600 %1</translation>
    </message>
</context>
<context>
    <name>PgServiceFile</name>
    <message>
        <source>line %1: a section name must be [name]</source>
        <translation>Zeile %1: Ein Abschnittsname muss [name] lauten</translation>
    </message>
    <message>
        <source>line %1: expected keyword=value</source>
        <translation>Zeile %1: keyword=value erwartet</translation>
    </message>
    <message>
        <source>line %1: a setting before any [service] section</source>
        <translation>Zeile %1: eine Einstellung vor jedem Abschnitt [service]</translation>
    </message>
    <message>
        <source>line %1: &quot;%2&quot; is not a libpq connection keyword</source>
        <translation>Zeile %1: „%2“ ist kein Verbindungsschlüsselwort von libpq</translation>
    </message>
</context>
<context>
    <name>PoolCalculator</name>
    <message>
        <source>Small</source>
        <translation>Klein</translation>
    </message>
    <message>
        <source>1-2 workers</source>
        <translation>1-2 Worker</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>4-8 workers</source>
        <translation>4-8 Worker</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Groß</translation>
    </message>
    <message>
        <source>16+ workers</source>
        <translation>16+ Worker</translation>
    </message>
    <message>
        <source>The server&apos;s capacity is not known yet: connect once (Server page) to compare.</source>
        <translation>Die Kapazität des Servers ist noch unbekannt: Verbinden Sie sich einmal (Seite Server), um zu vergleichen.</translation>
    </message>
    <message>
        <source>The pools can open %1 connections, %2 more than the server&apos;s %3 slots for ordinary roles: under load the server will refuse connections (&quot;too many clients&quot;). Reduce pool_size + max_overflow or workers, add PgBouncer, or raise max_connections.</source>
        <translation>Die Pools können %1 Verbindungen öffnen, %2 mehr als die %3 Verbindungsplätze des Servers für gewöhnliche Rollen: Unter Last wird der Server Verbindungen ablehnen („too many clients“). Verringern Sie pool_size + max_overflow oder die Zahl der Worker, setzen Sie PgBouncer ein oder erhöhen Sie max_connections.</translation>
    </message>
    <message>
        <source>The pools can open %1 connections; the server has %2 slots for ordinary roles, %3 to spare.</source>
        <translation>Die Pools können %1 Verbindungen öffnen; der Server hat %2 Verbindungsplätze für gewöhnliche Rollen, %3 davon bleiben frei.</translation>
    </message>
</context>
<context>
    <name>PoolChart</name>
    <message>
        <source>%1  unreachable</source>
        <translation>%1  nicht erreichbar</translation>
    </message>
    <message>
        <source>max wait %1 s</source>
        <translation>max. Wartezeit %1 s</translation>
    </message>
    <message>
        <source>total %1 of %2</source>
        <translation>gesamt %1 von %2</translation>
    </message>
    <message>
        <source>server capacity %1</source>
        <translation>Serverkapazität %1</translation>
    </message>
    <message>
        <source>pool capacity %1</source>
        <translation>Pool-Kapazität %1</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>unreachable in %1 of %2 samples</source>
        <translation>in %1 von %2 Messungen nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>PoolMonitorView</name>
    <message>
        <source>5 minutes</source>
        <translation>5 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>By state</source>
        <translation>Nach Zustand</translation>
    </message>
    <message>
        <source>By application</source>
        <translation>Nach Anwendung</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Export PNG...</source>
        <translation>Als PNG exportieren...</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>Als CSV exportieren...</translation>
    </message>
    <message>
        <source>Connections over time</source>
        <translation>Verbindungen im Zeitverlauf</translation>
    </message>
    <message>
        <source>PgBouncer pools over time</source>
        <translation>PgBouncer-Pools im Zeitverlauf</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>Export samples</source>
        <translation>Stichproben exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Pool settings (SQLAlchemy create_engine)</source>
        <translation>Pool-Einstellungen (SQLAlchemy create_engine)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Pool class</source>
        <translation>Pool-Klasse</translation>
    </message>
    <message>
        <source>Worker processes</source>
        <translation>Worker-Prozesse</translation>
    </message>
    <message>
        <source>Concurrent requests per worker (NullPool)</source>
        <translation>Gleichzeitige Anfragen pro Worker (NullPool)</translation>
    </message>
    <message>
        <source>the application&apos;s application_name</source>
        <translation>der application_name der Anwendung</translation>
    </message>
    <message>
        <source>Read PgBouncer&apos;s admin console</source>
        <translation>Die Admin-Konsole von PgBouncer lesen</translation>
    </message>
    <message>
        <source>host (default: the profile&apos;s)</source>
        <translation>Host (Vorgabe: der des Profils)</translation>
    </message>
    <message>
        <source>Pool calculator</source>
        <translation>Pool-Rechner</translation>
    </message>
    <message>
        <source>Database server cores</source>
        <translation>Kerne des Datenbankservers</translation>
    </message>
    <message>
        <source>Effective spindles</source>
        <translation>Effektive Spindeln</translation>
    </message>
    <message>
        <source>Copy snippet</source>
        <translation>Codeschnipsel kopieren</translation>
    </message>
    <message>
        <source>Formula: pool_size = cores x 2 + effective spindles = %1 x 2 + %2 = %3 connections for the whole server. For %4 worker process(es) the document&apos;s tier is %5 (%6): pool_size=%7, max_overflow=%8.</source>
        <translation>Formel: pool_size = Kerne x 2 + effektive Spindeln = %1 x 2 + %2 = %3 Verbindungen für den ganzen Server. Für %4 Worker-Prozess(e) nennt das Dokument die Stufe %5 (%6): pool_size=%7, max_overflow=%8.</translation>
    </message>
    <message>
        <source>Profiles on this server:
</source>
        <translation>Profile auf diesem Server:
</translation>
    </message>
    <message>
        <source>This profile asks for its password every time: type it on the Test or Server page, then come back.</source>
        <translation>Dieses Profil fragt jedes Mal nach seinem Passwort: Geben Sie es auf der Seite Test oder Server ein und kommen Sie dann zurück.</translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation>Verbindung wird hergestellt...</translation>
    </message>
    <message>
        <source>Unreachable (%1); trying again in %2 s</source>
        <translation>Nicht erreichbar (%1); neuer Versuch in %2 s</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Anzeigen</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Gruppieren</translation>
    </message>
    <message>
        <source>Pool size per worker (pool_size)</source>
        <translation>Pool-Größe je Worker (pool_size)</translation>
    </message>
    <message>
        <source>Extra connections per worker under load (max_overflow)</source>
        <translation>Zusätzliche Verbindungen je Worker unter Last (max_overflow)</translation>
    </message>
    <message>
        <source>Seconds to wait for a free connection (pool_timeout)</source>
        <translation>Sekunden Wartezeit auf eine freie Verbindung (pool_timeout)</translation>
    </message>
    <message>
        <source>Seconds before a connection is replaced (pool_recycle)</source>
        <translation>Sekunden, bis eine Verbindung ersetzt wird (pool_recycle)</translation>
    </message>
    <message>
        <source>Check each connection before use (pool_pre_ping)</source>
        <translation>Jede Verbindung vor der Nutzung prüfen (pool_pre_ping)</translation>
    </message>
    <message>
        <source>Application name (application_name)</source>
        <translation>Anwendungsname (application_name)</translation>
    </message>
    <message>
        <source>PgBouncer host</source>
        <translation>PgBouncer-Host</translation>
    </message>
    <message>
        <source>PgBouncer port</source>
        <translation>PgBouncer-Port</translation>
    </message>
    <message>
        <source>SQLAlchemy create_engine snippet</source>
        <translation>SQLAlchemy-create_engine-Ausschnitt</translation>
    </message>
    <message>
        <source>%1 The pool may open up to %2.</source>
        <translation>%1 Der Pool darf bis zu %2 öffnen.</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>PgBouncer at %1 did not answer: %2</source>
        <translation>PgBouncer unter %1 hat nicht geantwortet: %2</translation>
    </message>
    <message>
        <source>PgBouncer at %1: %2 pool(s), %3 client(s) waiting.</source>
        <translation>PgBouncer unter %1: %2 Pool(s), %3 wartende(r) Client(s).</translation>
    </message>
    <message>
        <source>%1 (%2), %3 to %4</source>
        <translation>%1 (%2), %3 bis %4</translation>
    </message>
    <message>
        <source>PgBouncer&apos;s settings against the pool settings</source>
        <translation>Die Einstellungen von PgBouncer gegenüber den Pool-Einstellungen</translation>
    </message>
    <message>
        <source>PgBouncer&apos;s settings are read when this page samples.</source>
        <translation>Die Einstellungen von PgBouncer werden gelesen, sobald diese Seite Stichproben nimmt.</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 Tage</translation>
    </message>
    <message>
        <source>Incidents in the window shown</source>
        <translation>Vorfälle im gezeigten Zeitraum</translation>
    </message>
    <message>
        <source>Click an incident, or press Enter on it, to zoom to it</source>
        <translation>Klicken Sie auf einen Vorfall oder drücken Sie darauf die Eingabetaste, um ihn vergrößert zu sehen</translation>
    </message>
    <message>
        <source>Reading the history...</source>
        <translation>Der Verlauf wird gelesen …</translation>
    </message>
    <message>
        <source>No history yet for this profile.</source>
        <translation>Für dieses Profil gibt es noch keinen Verlauf.</translation>
    </message>
    <message>
        <source>No incidents in this window: the sessions stayed under %1% of the server&apos;s usable connections and it answered throughout.</source>
        <translation>Keine Vorfälle in diesem Zeitraum: Die Sitzungen blieben unter %1 % der nutzbaren Verbindungen des Servers, und er hat durchgehend geantwortet.</translation>
    </message>
    <message>
        <source>Incidents in this window (above %1% of the server&apos;s usable connections, or unreachable):</source>
        <translation>Vorfälle in diesem Zeitraum (über %1 % der nutzbaren Verbindungen des Servers oder nicht erreichbar):</translation>
    </message>
    <message>
        <source>Back to the whole window (%1)</source>
        <translation>Zurück zum ganzen Zeitraum (%1)</translation>
    </message>
    <message>
        <source>Saving %1...</source>
        <translation>%1 wird gespeichert...</translation>
    </message>
    <message>
        <source>the chart could not be encoded as PNG</source>
        <translation>das Diagramm ließ sich nicht als PNG kodieren</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>%1 wurde nicht gespeichert: %2</translation>
    </message>
</context>
<context>
    <name>PoolPresets</name>
    <message>
        <source>Web application (default)</source>
        <translation>Webanwendung (Standard)</translation>
    </message>
    <message>
        <source>pool_size=5, max_overflow=10: up to 15 connections per worker process</source>
        <translation>pool_size=5, max_overflow=10: bis zu 15 Verbindungen pro Worker-Prozess</translation>
    </message>
    <message>
        <source>High traffic</source>
        <translation>Hohe Last</translation>
    </message>
    <message>
        <source>pool_size=20, max_overflow=40: up to 60 connections per worker process</source>
        <translation>pool_size=20, max_overflow=40: bis zu 60 Verbindungen pro Worker-Prozess</translation>
    </message>
    <message>
        <source>Serverless / Lambda</source>
        <translation>Serverless / Lambda</translation>
    </message>
    <message>
        <source>NullPool: no persistent connections; one per concurrent invocation</source>
        <translation>NullPool: keine dauerhaften Verbindungen; eine pro gleichzeitigem Aufruf</translation>
    </message>
    <message>
        <source>Background workers (Celery)</source>
        <translation>Hintergrund-Worker (Celery)</translation>
    </message>
    <message>
        <source>pool_size=2, max_overflow=5: a smaller pool per worker process</source>
        <translation>pool_size=2, max_overflow=5: ein kleinerer Pool pro Worker-Prozess</translation>
    </message>
</context>
<context>
    <name>PoolerReport</name>
    <message>
        <source>PgBouncer&apos;s admin console at %1 could not be read, so its settings were not checked against this profile&apos;s.</source>
        <translation>Die Admin-Konsole von PgBouncer unter %1 ließ sich nicht lesen, daher wurden ihre Einstellungen nicht mit denen dieses Profils verglichen.</translation>
    </message>
    <message>
        <source>Let the user %1 read the console: add it to stats_users (or admin_users) in pgbouncer.ini, with this profile&apos;s password in PgBouncer&apos;s auth_file, and reload PgBouncer.</source>
        <translation>Erlauben Sie dem Benutzer %1, die Konsole zu lesen: Tragen Sie ihn in pgbouncer.ini unter stats_users (oder admin_users) ein, mit dem Passwort dieses Profils in der auth_file von PgBouncer, und laden Sie PgBouncer neu.</translation>
    </message>
    <message>
        <source>PgBouncer has no entry for the database %1: it refuses the application&apos;s connections to it.</source>
        <translation>PgBouncer hat keinen Eintrag für die Datenbank %1: Er lehnt die Verbindungen der Anwendung zu ihr ab.</translation>
    </message>
    <message>
        <source>SHOW DATABASES lists neither %1 nor a &quot;*&quot; fallback.</source>
        <translation>SHOW DATABASES führt weder %1 noch einen Ersatzeintrag „*“ auf.</translation>
    </message>
    <message>
        <source>Add a line for it under [databases] in pgbouncer.ini, for example: %1 = host=SERVER port=5432 dbname=%1</source>
        <translation>Fügen Sie in pgbouncer.ini unter [databases] eine Zeile für sie hinzu, zum Beispiel: %1 = host=SERVER port=5432 dbname=%1</translation>
    </message>
    <message>
        <source>%1 worker(s) x %2 concurrent requests (NullPool) = %3 client connections</source>
        <translation>%1 Worker x %2 gleichzeitige Anfragen (NullPool) = %3 Client-Verbindungen</translation>
    </message>
    <message>
        <source>%1 worker(s) x (pool_size %2 + max_overflow %3) = %4 client connections</source>
        <translation>%1 Worker x (pool_size %2 + max_overflow %3) = %4 Client-Verbindungen</translation>
    </message>
    <message>
        <source>The application&apos;s pools can open more connections than PgBouncer accepts: clients beyond max_client_conn are refused with &quot;no more connections allowed (max_client_conn)&quot;.</source>
        <translation>Die Pools der Anwendung können mehr Verbindungen öffnen, als PgBouncer annimmt: Clients über max_client_conn hinaus werden mit „no more connections allowed (max_client_conn)“ abgewiesen.</translation>
    </message>
    <message>
        <source>%1; PgBouncer&apos;s max_client_conn is %2.</source>
        <translation>%1; max_client_conn von PgBouncer ist %2.</translation>
    </message>
    <message>
        <source>Raise max_client_conn in pgbouncer.ini to at least %1 (PgBouncer&apos;s other clients count too), or lower workers, pool_size or max_overflow.</source>
        <translation>Erhöhen Sie max_client_conn in pgbouncer.ini auf mindestens %1 (die anderen Clients von PgBouncer zählen mit), oder senken Sie Worker, pool_size oder max_overflow.</translation>
    </message>
    <message>
        <source>PgBouncer can open more server connections for the database %1 than the server has slots for ordinary roles: under load the server refuses them (&quot;too many clients&quot;).</source>
        <translation>PgBouncer kann für die Datenbank %1 mehr Serververbindungen öffnen, als der Server Plätze für gewöhnliche Rollen hat: Unter Last lehnt der Server sie ab („too many clients“).</translation>
    </message>
    <message>
        <source>pool_size %1 + reserve_pool_size %2 per database and user, max_db_connections %3 (0: no limit); the server has %4 slots for ordinary roles (max_connections minus the reserved ones).</source>
        <translation>pool_size %1 + reserve_pool_size %2 je Datenbank und Benutzer, max_db_connections %3 (0: keine Grenze); der Server hat %4 Plätze für gewöhnliche Rollen (max_connections abzüglich der reservierten).</translation>
    </message>
    <message>
        <source>Set max_db_connections = %1 (or less) for %2 in pgbouncer.ini, or raise the server&apos;s max_connections.</source>
        <translation>Setzen Sie in pgbouncer.ini max_db_connections = %1 (oder weniger) für %2, oder erhöhen Sie max_connections des Servers.</translation>
    </message>
    <message>
        <source>PgBouncer pools by statement, which refuses transactions of more than one statement; SQLAlchemy runs its work in transactions.</source>
        <translation>PgBouncer bündelt nach Anweisung und lehnt damit Transaktionen aus mehr als einer Anweisung ab; SQLAlchemy erledigt seine Arbeit in Transaktionen.</translation>
    </message>
    <message>
        <source>pool_mode is statement for the database %1.</source>
        <translation>pool_mode ist statement für die Datenbank %1.</translation>
    </message>
    <message>
        <source>Set pool_mode = transaction for %1 in pgbouncer.ini (on its line under [databases], or as the default).</source>
        <translation>Setzen Sie in pgbouncer.ini pool_mode = transaction für %1 (in ihrer Zeile unter [databases] oder als Vorgabe).</translation>
    </message>
    <message>
        <source>max_prepared_statements is 0</source>
        <translation>max_prepared_statements ist 0</translation>
    </message>
    <message>
        <source>this PgBouncer has no max_prepared_statements (PgBouncer 1.21 and later)</source>
        <translation>dieser PgBouncer kennt max_prepared_statements nicht (erst PgBouncer 1.21 und neuer)</translation>
    </message>
    <message>
        <source>Turn off psycopg&apos;s server-side prepared statements: create_engine(..., connect_args={&quot;prepare_threshold&quot;: None}); or, with PgBouncer 1.21 or later, set max_prepared_statements = 100 in pgbouncer.ini.</source>
        <translation>Schalten Sie die serverseitig vorbereiteten Anweisungen von psycopg ab: create_engine(..., connect_args={&quot;prepare_threshold&quot;: None}); oder setzen Sie mit PgBouncer 1.21 oder neuer max_prepared_statements = 100 in pgbouncer.ini.</translation>
    </message>
    <message>
        <source>Turn off both statement caches: create_async_engine(&quot;postgresql+asyncpg://...?prepared_statement_cache_size=0&quot;, connect_args={&quot;statement_cache_size&quot;: 0}); or, with PgBouncer 1.21 or later, set max_prepared_statements = 100 in pgbouncer.ini.</source>
        <translation>Schalten Sie beide Anweisungs-Caches ab: create_async_engine(&quot;postgresql+asyncpg://...?prepared_statement_cache_size=0&quot;, connect_args={&quot;statement_cache_size&quot;: 0}); oder setzen Sie mit PgBouncer 1.21 oder neuer max_prepared_statements = 100 in pgbouncer.ini.</translation>
    </message>
    <message>
        <source>PgBouncer pools by %1 and %2 prepares statements on the server: a later transaction can run on another server connection, where the statement does not exist (&quot;prepared statement ... does not exist&quot;).</source>
        <translation>PgBouncer bündelt nach %1, und %2 bereitet Anweisungen auf dem Server vor: Eine spätere Transaktion kann auf einer anderen Serververbindung laufen, auf der es die Anweisung nicht gibt („prepared statement ... does not exist“).</translation>
    </message>
    <message>
        <source>pool_mode %1, driver %2, %3.</source>
        <translation>pool_mode %1, Treiber %2, %3.</translation>
    </message>
    <message>
        <source>PgBouncer at %1 (pool_mode %2, max_client_conn %3, pool_size %4): its settings fit this profile&apos;s.</source>
        <translation>PgBouncer unter %1 (pool_mode %2, max_client_conn %3, pool_size %4): Seine Einstellungen passen zu denen dieses Profils.</translation>
    </message>
    <message>
        <source>[%1] %2 Evidence: %3 Fix: %4</source>
        <translation>[%1] %2 Befund: %3 Abhilfe: %4</translation>
    </message>
    <message>
        <source>PgBouncer:</source>
        <translation>PgBouncer:</translation>
    </message>
</context>
<context>
    <name>Profile</name>
    <message>
        <source>carriage return</source>
        <translation>Wagenrücklauf</translation>
    </message>
    <message>
        <source>line break</source>
        <translation>Zeilenumbruch</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>Tabulator</translation>
    </message>
    <message>
        <source>escape</source>
        <translation>Escape-Zeichen</translation>
    </message>
    <message>
        <source>control character</source>
        <translation>Steuerzeichen</translation>
    </message>
    <message>
        <source>invisible format character</source>
        <translation>unsichtbares Formatzeichen</translation>
    </message>
    <message>
        <source>the name holds a %1 (%2) at character %3; names are one line of visible text</source>
        <translation>der Name enthält an Position %3 ein Zeichen der Art %1 (%2); Namen sind eine Zeile sichtbaren Texts</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>connection settings</source>
        <translation>Verbindungseinstellungen</translation>
    </message>
    <message>
        <source>SQLAlchemy driver</source>
        <translation>SQLAlchemy-Treiber</translation>
    </message>
    <message>
        <source>required extensions</source>
        <translation>geforderte Erweiterungen</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>password source</source>
        <translation>Passwortquelle</translation>
    </message>
    <message>
        <source>password command</source>
        <translation>Passwortbefehl</translation>
    </message>
    <message>
        <source>a profile without id or name</source>
        <translation>ein Profil ohne id oder Namen</translation>
    </message>
    <message>
        <source>profile &quot;%1&quot; has an unknown environment &quot;%2&quot;</source>
        <translation>Profil „%1“ hat eine unbekannte Umgebung „%2“</translation>
    </message>
    <message>
        <source>profile &quot;%1&quot;: parameter &quot;%2&quot; is not a string</source>
        <translation>Profil „%1“: Parameter „%2“ ist keine Zeichenkette</translation>
    </message>
    <message>
        <source>route</source>
        <translation>Verbindungsweg</translation>
    </message>
    <message>
        <source>profile &quot;%1&quot;: its route: %2</source>
        <translation>Profil „%1“: sein Verbindungsweg: %2</translation>
    </message>
    <message>
        <source>profile &quot;%1&quot; has an unknown SSH secret &quot;%2&quot;</source>
        <translation>Profil „%1“ hat ein unbekanntes SSH-Geheimnis „%2“</translation>
    </message>
</context>
<context>
    <name>ProfileActions</name>
    <message>
        <source>profiles.json was not written: %1</source>
        <translation>profiles.json wurde nicht geschrieben: %1</translation>
    </message>
    <message>
        <source>a profile named &quot;%1&quot; already exists</source>
        <translation>ein Profil mit dem Namen „%1“ gibt es schon</translation>
    </message>
    <message>
        <source>the previous password could not be put back into the keychain: %1</source>
        <translation>das vorige Passwort ließ sich nicht in den Schlüsselbund zurückschreiben: %1</translation>
    </message>
    <message>
        <source>the keychain entry %1 could not be deleted; delete it with: secret-tool clear server %2 user %1</source>
        <translation>der Schlüsselbundeintrag %1 ließ sich nicht löschen; löschen Sie ihn mit: secret-tool clear server %2 user %1</translation>
    </message>
    <message>
        <source>%1: the profile has no name</source>
        <translation>%1: das Profil hat keinen Namen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 and %2 would both be named &quot;%3&quot; (names ignore case)</source>
        <translation>%1 und %2 hießen beide „%3“ (bei Namen zählt Groß- und Kleinschreibung nicht)</translation>
    </message>
    <message>
        <source>there is no profile to add</source>
        <translation>es gibt kein Profil zum Hinzufügen</translation>
    </message>
    <message>
        <source>The password could not be stored in the keychain: %1</source>
        <translation>Das Passwort ließ sich nicht im Schlüsselbund speichern: %1</translation>
    </message>
    <message>
        <source>The profile was not saved.</source>
        <translation>Das Profil wurde nicht gespeichert.</translation>
    </message>
    <message>
        <source>The profiles were not saved.</source>
        <translation>Die Profile wurden nicht gespeichert.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a production profile and is not replaced; remove it first (its name confirmed), or choose another name</source>
        <translation>„%1“ ist ein Produktionsprofil und wird nicht ersetzt; entfernen Sie es zuerst (mit bestätigtem Namen) oder wählen Sie einen anderen Namen</translation>
    </message>
    <message>
        <source>replaced the saved profile &quot;%1&quot; (%2)</source>
        <translation>das gespeicherte Profil „%1“ (%2) ersetzt</translation>
    </message>
    <message>
        <source>the profile no longer exists</source>
        <translation>das Profil gibt es nicht mehr</translation>
    </message>
    <message>
        <source>%1 copy</source>
        <translation>%1 Kopie</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a production profile: removing it needs its name typed to confirm</source>
        <translation>„%1“ ist ein Produktionsprofil: Zum Entfernen muss zur Bestätigung sein Name eingegeben werden</translation>
    </message>
    <message>
        <source>&quot;%1&quot; became a production profile; removing it needs its name typed to confirm</source>
        <translation>„%1“ ist inzwischen ein Produktionsprofil; zum Entfernen muss zur Bestätigung sein Name eingegeben werden</translation>
    </message>
    <message>
        <source>The password could not be deleted from the keychain: %1</source>
        <translation>Das Passwort ließ sich nicht aus dem Schlüsselbund löschen: %1</translation>
    </message>
    <message>
        <source>The profile was kept so that its password can be deleted later.</source>
        <translation>Das Profil wurde behalten, damit sein Passwort später gelöscht werden kann.</translation>
    </message>
    <message>
        <source>the profile name is empty</source>
        <translation>der Profilname ist leer</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was removed by another program or window</source>
        <translation>„%1“ wurde von einem anderen Programm oder Fenster entfernt</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was changed by another program or window since you started editing it</source>
        <translation>„%1“ wurde von einem anderen Programm oder Fenster geändert, seit Sie mit dem Bearbeiten begonnen haben</translation>
    </message>
    <message>
        <source>The saved password could not be read from the keychain: %1</source>
        <translation>Das gespeicherte Passwort ließ sich nicht aus dem Schlüsselbund lesen: %1</translation>
    </message>
    <message>
        <source>Nothing was saved.</source>
        <translation>Nichts wurde gespeichert.</translation>
    </message>
    <message>
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>SSH passphrase or password</source>
        <translation>SSH-Passphrase bzw. SSH-Passwort</translation>
    </message>
    <message>
        <source>The copy has no %1: %2</source>
        <translation>Die Kopie ist ohne %1: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; does not reach its server through SSH</source>
        <translation>„%1“ erreicht seinen Server nicht über SSH</translation>
    </message>
    <message>
        <source>The SSH passphrase or password could not be stored in the keychain: %1</source>
        <translation>Die SSH-Passphrase bzw. das SSH-Passwort konnte nicht im Schlüsselbund gespeichert werden: %1</translation>
    </message>
    <message>
        <source>The saved SSH passphrase or password could not be read from the keychain: %1</source>
        <translation>Die gespeicherte SSH-Passphrase bzw. das SSH-Passwort konnte nicht aus dem Schlüsselbund gelesen werden: %1</translation>
    </message>
    <message>
        <source>the saved profiles changed since the catalogue was compared with them; compare it again</source>
        <translation>die gespeicherten Profile haben sich geändert, seit der Katalog mit ihnen verglichen wurde; vergleichen Sie ihn erneut</translation>
    </message>
</context>
<context>
    <name>ProfileBar</name>
    <message>
        <source>Copy URL</source>
        <translation>URL kopieren</translation>
    </message>
    <message>
        <source>Copies the URL without the password</source>
        <translation>Kopiert die URL ohne das Passwort</translation>
    </message>
    <message>
        <source>Copy with password</source>
        <translation>Mit Passwort kopieren</translation>
    </message>
    <message>
        <source>Copies the URL with the password; cleared from the clipboard after 30 seconds</source>
        <translation>Kopiert die URL mit dem Passwort; nach 30 Sekunden wird sie aus der Zwischenablage gelöscht</translation>
    </message>
    <message>
        <source>Export...</source>
        <translation>Exportieren...</translation>
    </message>
    <message>
        <source>not tested</source>
        <translation>nicht getestet</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>checks failed</source>
        <translation>Prüfungen fehlgeschlagen</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>keine Verbindung</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>Keep mine</source>
        <translation>Meine behalten</translation>
    </message>
    <message>
        <source>Keep the edits in this form; Save then replaces the other version</source>
        <translation>Die Änderungen in diesem Formular behalten; Speichern ersetzt dann die andere Fassung</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>Ihre übernehmen</translation>
    </message>
    <message>
        <source>Drop the edits in this form and show the saved version</source>
        <translation>Die Änderungen in diesem Formular verwerfen und die gespeicherte Fassung zeigen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was changed elsewhere (another window or the command line) while you were editing its %2. Keep your version of those, or take the saved version?</source>
        <translation>„%1“ wurde anderswo geändert (in einem anderen Fenster oder auf der Befehlszeile), während Sie diese Angaben bearbeitet haben: %2. Ihre Fassung behalten oder die gespeicherte übernehmen?</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was deleted elsewhere (another window or the command line) while you were editing it. Keep your edits (Save adds it again), or let it go?</source>
        <translation>„%1“ wurde anderswo gelöscht (in einem anderen Fenster oder auf der Befehlszeile), während Sie es bearbeitet haben. Ihre Änderungen behalten (Speichern legt es wieder an) oder es gehen lassen?</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
</context>
<context>
    <name>ProfileExchange</name>
    <message>
        <source>line %1: the quoted value of %2 runs over several lines; is a closing quote missing?</source>
        <translation>Zeile %1: Der Wert von %2 in Anführungszeichen läuft über mehrere Zeilen; fehlt ein schließendes Anführungszeichen?</translation>
    </message>
    <message>
        <source>line %1: %2 is not a valid connection string: %3</source>
        <translation>Zeile %1: %2 ist keine gültige Verbindungszeichenfolge: %3</translation>
    </message>
    <message>
        <source>%1 (line %2)</source>
        <translation>%1 (Zeile %2)</translation>
    </message>
    <message>
        <source>no PostgreSQL connection string (DATABASE_URL, TEST_DATABASE_URL, ..._URL) in the file</source>
        <translation>keine PostgreSQL-Verbindungszeichenfolge (DATABASE_URL, TEST_DATABASE_URL, ..._URL) in der Datei</translation>
    </message>
    <message>
        <source>line %1: [%2]: %3</source>
        <translation>Zeile %1: [%2]: %3</translation>
    </message>
    <message>
        <source>[%1] (line %2)</source>
        <translation>[%1] (Zeile %2)</translation>
    </message>
    <message>
        <source>no [service] section in the file</source>
        <translation>kein Abschnitt [service] in der Datei</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>The profile&apos;s colour (production is always red)</source>
        <translation>Die Farbe des Profils (Produktion ist immer rot)</translation>
    </message>
    <message>
        <source>Environment colour</source>
        <translation>Farbe der Umgebung</translation>
    </message>
    <message>
        <source>Profile colour</source>
        <translation>Farbe des Profils</translation>
    </message>
    <message>
        <source>&amp;Environment</source>
        <translation>Um&amp;gebung</translation>
    </message>
    <message>
        <source>postgresql://user:password@host:port/database?parameters</source>
        <translation>postgresql://user:password@host:port/database?parameters</translation>
    </message>
    <message>
        <source>Paste a URL to fill the form; its password moves to the password field.</source>
        <translation>Fügen Sie eine URL ein, um das Formular zu füllen; ihr Passwort wandert in das Passwortfeld.</translation>
    </message>
    <message>
        <source>&amp;URL</source>
        <translation>&amp;URL</translation>
    </message>
    <message>
        <source>U&amp;ser</source>
        <translation>B&amp;enutzer</translation>
    </message>
    <message>
        <source>Stored in the keychain</source>
        <translation>Im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <source>Ask every time</source>
        <translation>Jedes Mal fragen</translation>
    </message>
    <message>
        <source>From a command (short-lived token)</source>
        <translation>Von einem Befehl (kurzlebiges Token)</translation>
    </message>
    <message>
        <source>libpq&apos;s own (PGPASSWORD, .pgpass)</source>
        <translation>Von libpq selbst (PGPASSWORD, .pgpass)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
    <message>
        <source>aws rds generate-db-auth-token --hostname ... --port 5432 --username orderflow</source>
        <translation>aws rds generate-db-auth-token --hostname ... --port 5432 --username orderflow</translation>
    </message>
    <message>
        <source>Password command</source>
        <translation>Passwortbefehl</translation>
    </message>
    <message>
        <source>&amp;Host</source>
        <translation>&amp;Host</translation>
    </message>
    <message>
        <source>P&amp;ort</source>
        <translation>P&amp;ort</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Datenbank</translation>
    </message>
    <message>
        <source>not set (10 s)</source>
        <translation>nicht gesetzt (10 s)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>libpq keyword</source>
        <translation>libpq-Schlüsselwort</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>Parameter hinzufügen</translation>
    </message>
    <message>
        <source>Other parameters</source>
        <translation>Weitere Parameter</translation>
    </message>
    <message>
        <source>Comma-separated; a|b means either one</source>
        <translation>Durch Kommas getrennt; a|b heißt: eins von beiden</translation>
    </message>
    <message>
        <source>Required extensions</source>
        <translation>Geforderte Erweiterungen</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>stored in the keychain (Show to see it)</source>
        <translation>im Schlüsselbund gespeichert (Zeigen macht es sichtbar)</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>nicht gespeichert</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>Ein Profil braucht einen Namen.</translation>
    </message>
    <message>
        <source>Put the password in the password field, not among the parameters.</source>
        <translation>Tragen Sie das Passwort in das Passwortfeld ein, nicht unter den Parametern.</translation>
    </message>
    <message>
        <source>Give the command that prints the password.</source>
        <translation>Geben Sie den Befehl an, der das Passwort ausgibt.</translation>
    </message>
    <message>
        <source>Show password</source>
        <translation>Passwort anzeigen</translation>
    </message>
    <message>
        <source>Connection timeout (connect_timeout)</source>
        <translation>Verbindungs-Timeout (connect_timeout)</translation>
    </message>
    <message>
        <source>Application name (application_name)</source>
        <translation>Anwendungsname (application_name)</translation>
    </message>
    <message>
        <source>Environment&apos;s (%1)</source>
        <translation>Farbe der Umgebung (%1)</translation>
    </message>
    <message>
        <source>Reach the server</source>
        <translation>Weg zum Server</translation>
    </message>
    <message>
        <source>Directly</source>
        <translation>Direkt</translation>
    </message>
    <message>
        <source>Through SSH</source>
        <translation>Über SSH</translation>
    </message>
    <message>
        <source>Through a tunnel command</source>
        <translation>Über einen Tunnelbefehl</translation>
    </message>
    <message>
        <source>&amp;Reach the server</source>
        <translation>&amp;Weg zum Server</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>SSH-Host</translation>
    </message>
    <message>
        <source>[user@]host[:port] or a Host of ~/.ssh/config</source>
        <translation>[user@]host[:port] oder ein Host aus ~/.ssh/config</translation>
    </message>
    <message>
        <source>The system&apos;s ssh connects to it with your ~/.ssh/config, agent and known_hosts, as in a terminal.</source>
        <translation>Das ssh des Systems verbindet sich damit über Ihre ~/.ssh/config, Ihren Agenten und Ihre known_hosts, wie in einem Terminal.</translation>
    </message>
    <message>
        <source>SSH hos&amp;t</source>
        <translation>SSH-Hos&amp;t</translation>
    </message>
    <message>
        <source>Jump hosts</source>
        <translation>Jump-Hosts</translation>
    </message>
    <message>
        <source>none; or jump-1,deploy@jump-2:2222</source>
        <translation>keine; oder jump-1,deploy@jump-2:2222</translation>
    </message>
    <message>
        <source>The hosts ssh goes through before the SSH host, in order, comma-separated (as ProxyJump).</source>
        <translation>Die Hosts, über die ssh vor dem SSH-Host geht, der Reihe nach, durch Kommas getrennt (wie bei ProxyJump).</translation>
    </message>
    <message>
        <source>&amp;Jump hosts</source>
        <translation>&amp;Jump-Hosts</translation>
    </message>
    <message>
        <source>Identity file</source>
        <translation>Identitätsdatei</translation>
    </message>
    <message>
        <source>ssh&apos;s own choice (agent, ~/.ssh/config)</source>
        <translation>Wahl von ssh (Agent, ~/.ssh/config)</translation>
    </message>
    <message>
        <source>The private key every SSH host is logged in with; its passphrase, if any, is asked for when needed.</source>
        <translation>Der private Schlüssel für die Anmeldung an jedem SSH-Host; nach seiner Passphrase, falls er eine hat, wird bei Bedarf gefragt.</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>Durchsuchen...</translation>
    </message>
    <message>
        <source>Browse: Identity file</source>
        <translation>Durchsuchen: Identitätsdatei</translation>
    </message>
    <message>
        <source>&amp;Identity file</source>
        <translation>&amp;Identitätsdatei</translation>
    </message>
    <message>
        <source>Tunnel command</source>
        <translation>Tunnelbefehl</translation>
    </message>
    <message>
        <source>Run without a shell; it must listen on {port}, a free local port that this program picks. Quote an argument with spaces.</source>
        <translation>Läuft ohne Shell; er muss auf {port} lauschen, einem freien lokalen Port, den dieses Programm wählt. Setzen Sie ein Argument mit Leerzeichen in Anführungszeichen.</translation>
    </message>
    <message>
        <source>Tunnel &amp;command</source>
        <translation>&amp;Tunnelbefehl</translation>
    </message>
    <message>
        <source>The host and port above are then as the last SSH host sees them (localhost is that host).</source>
        <translation>Host und Port oben gelten dann so, wie der letzte SSH-Host sie sieht (localhost ist dieser Host selbst).</translation>
    </message>
    <message>
        <source>The host and port above are then as the tunnel sees them; {port} is a free local port that this program picks.</source>
        <translation>Host und Port oben gelten dann so, wie der Tunnel sie sieht; {port} ist ein freier lokaler Port, den dieses Programm wählt.</translation>
    </message>
    <message>
        <source>Give the SSH host: [user@]host[:port] or a Host of ~/.ssh/config.</source>
        <translation>Geben Sie den SSH-Host an: [user@]host[:port] oder ein Host aus ~/.ssh/config.</translation>
    </message>
    <message>
        <source>Give the command that opens the tunnel, with {port} where it listens.</source>
        <translation>Geben Sie den Befehl an, der den Tunnel öffnet, mit {port} dort, wo er lauscht.</translation>
    </message>
    <message>
        <source>Choose the identity file (private key)</source>
        <translation>Identitätsdatei wählen (privater Schlüssel)</translation>
    </message>
    <message>
        <source>SSH passphrase or password</source>
        <translation>SSH-Passphrase bzw. SSH-Passwort</translation>
    </message>
    <message>
        <source>None (ssh-agent, or a key without one)</source>
        <translation>Keins (ssh-agent, oder ein Schlüssel ohne Passphrase)</translation>
    </message>
    <message>
        <source>The key&apos;s passphrase</source>
        <translation>Die Passphrase des Schlüssels</translation>
    </message>
    <message>
        <source>An SSH password</source>
        <translation>Ein SSH-Passwort</translation>
    </message>
    <message>
        <source>SSH passphrase or password, saved in the keychain</source>
        <translation>SSH-Passphrase bzw. SSH-Passwort, im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <source>Type the SSH password, to be saved in the keychain.</source>
        <translation>Geben Sie das SSH-Passwort ein; es wird im Schlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>Type the key&apos;s passphrase, to be saved in the keychain.</source>
        <translation>Geben Sie die Passphrase des Schlüssels ein; sie wird im Schlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>saved in the keychain; type to replace it</source>
        <translation>im Schlüsselbund gespeichert; zum Ersetzen tippen</translation>
    </message>
    <message>
        <source>saved in the keychain when you save</source>
        <translation>wird beim Speichern im Schlüsselbund abgelegt</translation>
    </message>
    <message>
        <source>SSH secret</source>
        <translation>SSH-Geheimnis</translation>
    </message>
</context>
<context>
    <name>ProfileListController</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The profiles could not be added</source>
        <translation>Die Profile ließen sich nicht hinzufügen</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <source>The profile could not be added</source>
        <translation>Das Profil ließ sich nicht hinzufügen</translation>
    </message>
    <message>
        <source>%1 copy</source>
        <translation>%1 Kopie</translation>
    </message>
    <message>
        <source>The copy could not be made</source>
        <translation>Die Kopie ließ sich nicht anlegen</translation>
    </message>
    <message>
        <source>Delete production profile</source>
        <translation>Produktionsprofil löschen</translation>
    </message>
    <message>
        <source>This deletes the production profile and its stored password. Type its name, %1, to confirm.</source>
        <translation>Dies löscht das Produktionsprofil und sein gespeichertes Passwort. Geben Sie zur Bestätigung seinen Namen ein: %1.</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <source>Delete the profile &quot;%1&quot; and its stored password?</source>
        <translation>Das Profil „%1“ und sein gespeichertes Passwort löschen?</translation>
    </message>
    <message>
        <source>The profile was not deleted</source>
        <translation>Das Profil wurde nicht gelöscht</translation>
    </message>
    <message>
        <source>Deleted the profile &quot;%1&quot;.</source>
        <translation>Das Profil „%1“ wurde gelöscht.</translation>
    </message>
    <message>
        <source>Import profiles</source>
        <translation>Profile importieren</translation>
    </message>
    <message>
        <source>Connection files (*.env .env* pg_service.conf *.conf .pgpass pgpass*);;All files (*)</source>
        <translation>Verbindungsdateien (*.env .env* pg_service.conf *.conf .pgpass pgpass*);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1: %2 (nothing was imported)</source>
        <translation>%1: %2 (nichts wurde importiert)</translation>
    </message>
    <message>
        <source>Passwords from %1</source>
        <translation>Passwörter aus %1</translation>
    </message>
    <message>
        <source>No entry of %1 matches a profile&apos;s host, port, database and user; nothing was imported.</source>
        <translation>Kein Eintrag in %1 passt zu Host, Port, Datenbank und Benutzer eines Profils; nichts wurde importiert.</translation>
    </message>
    <message>
        <source>%1 took their password from %2 into the keychain.</source>
        <translation>%1 haben ihr Passwort aus %2 in den Schlüsselbund übernommen.</translation>
    </message>
    <message>
        <source>Profiles already exist</source>
        <translation>Profile gibt es schon</translation>
    </message>
    <message>
        <source>Profiles named %1 are already saved.</source>
        <translation>Profile mit den Namen %1 sind schon gespeichert.</translation>
    </message>
    <message>
        <source>Keep both (the imported ones get a number), replace the saved ones, or import nothing?</source>
        <translation>Beide behalten (die importierten bekommen eine Nummer), die gespeicherten ersetzen oder nichts importieren?</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Nothing was imported from %1</source>
        <translation>Aus %1 wurde nichts importiert</translation>
    </message>
    <message>
        <source>Imported %1 from %2.</source>
        <translation>%1 aus %2 importiert.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was not deleted: the name typed did not match it.</source>
        <translation>„%1“ wurde nicht gelöscht: Der eingegebene Name stimmte nicht überein.</translation>
    </message>
    <message>
        <source>Import team catalogue</source>
        <translation>Teamkatalog importieren</translation>
    </message>
    <message>
        <source>Team catalogues (*.json);;All files (*)</source>
        <translation>Teamkataloge (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Imported %1: %2.</source>
        <translation>%1 importiert: %2.</translation>
    </message>
    <message>
        <source>Export team catalogue</source>
        <translation>Teamkatalog exportieren</translation>
    </message>
    <message>
        <source>%1: %2 (nothing was written)</source>
        <translation>%1: %2 (nichts wurde geschrieben)</translation>
    </message>
    <message>
        <source>Wrote %1 without passwords; profiles in it: %2.</source>
        <translation>%1 ohne Passwörter geschrieben; Profile darin: %2.</translation>
    </message>
</context>
<context>
    <name>ProfileListView</name>
    <message>
        <source>Filter profiles</source>
        <translation>Profile filtern</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Import...</source>
        <translation>Importieren...</translation>
    </message>
    <message>
        <source>A .env file, pg_service.conf or .pgpass</source>
        <translation>Eine .env-Datei, pg_service.conf oder .pgpass</translation>
    </message>
    <message>
        <source>Name, host or database (Ctrl+K)</source>
        <translation>Name, Host oder Datenbank (Strg+K)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>%1, unsaved changes</source>
        <translation>%1, ungespeicherte Änderungen</translation>
    </message>
</context>
<context>
    <name>ProfilePages</name>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
</context>
<context>
    <name>ProfileRepository</name>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 lässt sich nicht anlegen</translation>
    </message>
    <message>
        <source>another program (process %1) kept %2 locked for %3 seconds; nothing was changed, try again</source>
        <translation>ein anderes Programm (Prozess %1) hielt %2 %3 Sekunden lang gesperrt; nichts wurde geändert, versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>the profile was removed by another program</source>
        <translation>das Profil wurde von einem anderen Programm entfernt</translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>it is not valid JSON (%1 at byte %2)</source>
        <translation>sie ist kein gültiges JSON (%1 bei Byte %2)</translation>
    </message>
    <message>
        <source>it does not hold a JSON object</source>
        <translation>sie enthält kein JSON-Objekt</translation>
    </message>
    <message>
        <source>it was written by a newer version (schema %1)</source>
        <translation>sie wurde von einer neueren Version geschrieben (Schema %1)</translation>
    </message>
    <message>
        <source>its schema version is missing or unknown</source>
        <translation>ihre Schemaversion fehlt oder ist unbekannt</translation>
    </message>
    <message>
        <source>The profiles file %1 cannot be read (%2). It was left untouched and changes will not be saved.</source>
        <translation>Die Profildatei %1 ist nicht lesbar (%2). Sie blieb unberührt, und Änderungen werden nicht gespeichert.</translation>
    </message>
    <message>
        <source>The profiles file %1 changed on disk but cannot be read because %2.</source>
        <translation>Die Profildatei %1 hat sich auf der Platte geändert, ist aber nicht lesbar, denn %2.</translation>
    </message>
    <message>
        <source>The profiles file %1 could not be read because %2, and it could not be moved aside. It was left untouched and changes will not be saved.</source>
        <translation>Die Profildatei %1 war nicht lesbar, denn %2, und sie ließ sich nicht beiseitelegen. Sie blieb unberührt, und Änderungen werden nicht gespeichert.</translation>
    </message>
    <message>
        <source>The profiles file could not be read because %1. It was kept as %2; no profile was loaded from it.</source>
        <translation>Die Profildatei war nicht lesbar, denn %1. Sie wurde als %2 aufbewahrt; aus ihr wurde kein Profil geladen.</translation>
    </message>
    <message>
        <source>the existing profiles file could not be read, so it is not overwritten</source>
        <translation>die vorhandene Profildatei war nicht lesbar, daher wird sie nicht überschrieben</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 lässt sich nicht anlegen</translation>
    </message>
    <message>
        <source>a profile needs a name</source>
        <translation>ein Profil braucht einen Namen</translation>
    </message>
    <message>
        <source>a profile named &quot;%1&quot; already exists</source>
        <translation>ein Profil mit dem Namen „%1“ gibt es schon</translation>
    </message>
    <message>
        <source>no such profile</source>
        <translation>kein solches Profil</translation>
    </message>
</context>
<context>
    <name>ProfileTemplates</name>
    <message>
        <source>Local database, as started by docker compose up -d postgres.</source>
        <translation>Lokale Datenbank, wie docker compose up -d postgres sie startet.</translation>
    </message>
    <message>
        <source>Staging server; SSL required.</source>
        <translation>Staging-Server; SSL erforderlich.</translation>
    </message>
    <message>
        <source>Production. Prefer sslmode=verify-full with sslrootcert set.</source>
        <translation>Produktion. Besser sslmode=verify-full mit gesetztem sslrootcert.</translation>
    </message>
    <message>
        <source>Separate test database (CREATE DATABASE orderflow_test; once).</source>
        <translation>Eigene Testdatenbank (CREATE DATABASE orderflow_test; einmalig).</translation>
    </message>
</context>
<context>
    <name>ProfilesCommand</name>
    <message>
        <source>No profiles yet. Add one with: orderflow-dbadmin profiles add NAME --url URL</source>
        <translation>Noch keine Profile. Legen Sie eins an mit: orderflow-dbadmin profiles add NAME --url URL</translation>
    </message>
    <message>
        <source>profiles add needs exactly one NAME</source>
        <translation>profiles add braucht genau einen NAME</translation>
    </message>
    <message>
        <source>profiles add needs --url URL</source>
        <translation>profiles add braucht --url URL</translation>
    </message>
    <message>
        <source>--rename and --replace exclude each other</source>
        <translation>--rename und --replace schließen einander aus</translation>
    </message>
    <message>
        <source>the profile name is empty</source>
        <translation>der Profilname ist leer</translation>
    </message>
    <message>
        <source>unknown environment &quot;%1&quot; (development, staging, production, test, other)</source>
        <translation>unbekannte Umgebung „%1“ (development, staging, production, test, other)</translation>
    </message>
    <message>
        <source>invalid connection string: %1</source>
        <translation>ungültige Verbindungszeichenfolge: %1</translation>
    </message>
    <message>
        <source>Saved profile &quot;%1&quot; (%2): %3</source>
        <translation>Profil „%1“ gespeichert (%2): %3</translation>
    </message>
    <message>
        <source>The password is in the system keychain as %1 / %2.</source>
        <translation>Das Passwort liegt im Schlüsselbund des Systems als %1 / %2.</translation>
    </message>
    <message>
        <source>profiles remove needs exactly one NAME</source>
        <translation>profiles remove braucht genau einen NAME</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: &quot;%1&quot; is a production profile; nothing was removed. To remove it, add --confirm %2</source>
        <translation>orderflow-dbadmin: „%1“ ist ein Produktionsprofil; nichts wurde entfernt. Zum Entfernen ergänzen Sie --confirm %2</translation>
    </message>
    <message>
        <source>Removed profile &quot;%1&quot;.</source>
        <translation>Profil „%1“ entfernt.</translation>
    </message>
    <message>
        <source>profiles rotate-password needs exactly one NAME</source>
        <translation>profiles rotate-password braucht genau einen NAME</translation>
    </message>
    <message>
        <source>--length needs a number</source>
        <translation>--length braucht eine Zahl</translation>
    </message>
    <message>
        <source>--update-shared and --skip-shared exclude each other</source>
        <translation>--update-shared und --skip-shared schließen einander aus</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: nothing was changed. These profiles log in as the same role on the same server, and the old password would stop working for them too: %1. Add --update-shared to give them the new password as well, or --skip-shared to leave them.</source>
        <translation>orderflow-dbadmin: Nichts wurde geändert. Diese Profile melden sich mit derselben Rolle am selben Server an, und das alte Passwort würde auch für sie nicht mehr funktionieren: %1. Ergänzen Sie --update-shared, um ihnen ebenfalls das neue Passwort zu geben, oder --skip-shared, um sie zu lassen, wie sie sind.</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: &quot;%1&quot; is a production profile; nothing was changed. To rotate its password, add --confirm %2</source>
        <translation>orderflow-dbadmin: „%1“ ist ein Produktionsprofil; nichts wurde geändert. Um sein Passwort zu rotieren, ergänzen Sie --confirm %2</translation>
    </message>
    <message>
        <source>New password: %1</source>
        <translation>Neues Passwort: %1</translation>
    </message>
    <message>
        <source>Rotated the password of &quot;%1&quot; (role %2 on %3): the server, the keychain and the profile hold the new one.</source>
        <translation>Das Passwort von „%1“ wurde rotiert (Rolle %2 auf %3): Server, Schlüsselbund und Profil enthalten das neue.</translation>
    </message>
    <message>
        <source>Also given the new password: %1.</source>
        <translation>Ebenfalls mit dem neuen Passwort versehen: %1.</translation>
    </message>
    <message>
        <source>Left as they were, with a password that no longer works: %1.</source>
        <translation>Unverändert gelassen, mit einem Passwort, das nicht mehr funktioniert: %1.</translation>
    </message>
    <message>
        <source>The profile&apos;s name again; a production profile needs it.</source>
        <translation>Noch einmal der Name des Profils; ein Produktionsprofil braucht ihn.</translation>
    </message>
    <message>
        <source>list the saved profiles</source>
        <translation>die gespeicherten Profile auflisten</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON ausgeben.</translation>
    </message>
    <message>
        <source>save a profile; its password goes to the keychain</source>
        <translation>ein Profil speichern; sein Passwort kommt in den Schlüsselbund</translation>
    </message>
    <message>
        <source>The connection string.</source>
        <translation>Die Verbindungszeichenfolge.</translation>
    </message>
    <message>
        <source>The environment: development, staging, production, test or other (default: guessed from NAME).</source>
        <translation>Die Umgebung: development, staging, production, test oder other (Vorgabe: aus NAME erraten).</translation>
    </message>
    <message>
        <source>Read the password from standard input.</source>
        <translation>Das Passwort von der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>remove a profile (production needs --confirm)</source>
        <translation>ein Profil entfernen (Produktion braucht --confirm)</translation>
    </message>
    <message>
        <source>rotate the password on the server and in the keychain at once</source>
        <translation>das Passwort auf dem Server und im Schlüsselbund zugleich rotieren</translation>
    </message>
    <message>
        <source>Characters in the new password, %1 to %2 (default %3).</source>
        <translation>Zeichen im neuen Passwort, %1 bis %2 (Vorgabe %3).</translation>
    </message>
    <message>
        <source>Give the new password also to the other profiles that log in as the same role on the same server.</source>
        <translation>Das neue Passwort auch den anderen Profilen geben, die sich mit derselben Rolle am selben Server anmelden.</translation>
    </message>
    <message>
        <source>Leave those profiles as they are (their saved password stops working).</source>
        <translation>Diese Profile lassen, wie sie sind (ihr gespeichertes Passwort funktioniert dann nicht mehr).</translation>
    </message>
    <message>
        <source>It is reached %1: %2</source>
        <translation>Erreichbar %1: %2</translation>
    </message>
    <message>
        <source>--ssh-passphrase-stdin and --ssh-password-stdin exclude each other</source>
        <translation>--ssh-passphrase-stdin und --ssh-password-stdin schließen einander aus</translation>
    </message>
    <message>
        <source>%1 needs --ssh</source>
        <translation>%1 braucht --ssh</translation>
    </message>
    <message>
        <source>%1 was given but standard input held no line</source>
        <translation>%1 wurde angegeben, aber die Standardeingabe enthielt keine Zeile</translation>
    </message>
    <message>
        <source>%1 was given but standard input held no second line (the first is the database password)</source>
        <translation>%1 wurde angegeben, aber die Standardeingabe enthielt keine zweite Zeile (die erste ist das Datenbankpasswort)</translation>
    </message>
    <message>
        <source>Read the passphrase of the SSH key from standard input (the next line after the password with --password-stdin) into the keychain.</source>
        <translation>Die Passphrase des SSH-Schlüssels von der Standardeingabe in den Schlüsselbund lesen (mit --password-stdin die Zeile nach dem Passwort).</translation>
    </message>
    <message>
        <source>Read the SSH password from standard input, likewise.</source>
        <translation>Das SSH-Passwort ebenso von der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>The SSH key&apos;s passphrase is in the system keychain as %1 / %2.</source>
        <translation>Die Passphrase des SSH-Schlüssels liegt im Schlüsselbund des Systems als %1 / %2.</translation>
    </message>
    <message>
        <source>The SSH password is in the system keychain as %1 / %2.</source>
        <translation>Das SSH-Passwort liegt im Schlüsselbund des Systems als %1 / %2.</translation>
    </message>
    <message>
        <source>profiles export-catalogue needs exactly one FILE</source>
        <translation>profiles export-catalogue braucht genau eine DATEI</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: %1: %2 (nothing was written)</source>
        <translation>orderflow-dbadmin: %1: %2 (nichts wurde geschrieben)</translation>
    </message>
    <message>
        <source>profiles import-catalogue needs exactly one FILE</source>
        <translation>profiles import-catalogue braucht genau eine DATEI</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: %1: %2 (nothing was imported)</source>
        <translation>orderflow-dbadmin: %1: %2 (nichts wurde importiert)</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: note: this version does not know %1; only %2 keeps them, and an export over it keeps them there.</source>
        <translation>orderflow-dbadmin: Hinweis: Diese Version kennt %1 nicht; nur %2 bewahrt sie auf, und ein Export über diese Datei behält sie dort.</translation>
    </message>
    <message>
        <source>added      %1: %2</source>
        <translation>hinzugefügt %1: %2</translation>
    </message>
    <message>
        <source>changed    %1: %2</source>
        <translation>geändert    %1: %2</translation>
    </message>
    <message>
        <source>unchanged  %1</source>
        <translation>unverändert %1</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: %1: nothing was imported.</source>
        <translation>orderflow-dbadmin: %1: Nichts wurde importiert.</translation>
    </message>
    <message>
        <source>%1; nothing was changed (--dry-run).</source>
        <translation>%1; nichts wurde geändert (--dry-run).</translation>
    </message>
    <message>
        <source>Imported %1: %2. The keychain was not touched.</source>
        <translation>%1 importiert: %2. Der Schlüsselbund blieb unberührt.</translation>
    </message>
    <message>
        <source>write every profile to a team catalogue, without passwords</source>
        <translation>alle Profile ohne Passwörter in einen Teamkatalog schreiben</translation>
    </message>
    <message>
        <source>add and update profiles from a team catalogue</source>
        <translation>Profile aus einem Teamkatalog hinzufügen und aktualisieren</translation>
    </message>
    <message>
        <source>Only show what would be added, changed and unchanged.</source>
        <translation>Nur zeigen, was hinzugefügt, geändert und unverändert bliebe.</translation>
    </message>
    <message>
        <source>Wrote %1 without passwords; profiles in it: %2.</source>
        <translation>%1 ohne Passwörter geschrieben; Profile darin: %2.</translation>
    </message>
    <message>
        <source>orderflow-dbadmin: &quot;%1&quot; is a production profile here; the catalogue moves it to another environment, which lifts the read-only guard on this tool&apos;s sessions to it. To allow it, add --confirm %2</source>
        <translation>orderflow-dbadmin: &quot;%1&quot; ist hier ein Produktionsprofil; der Katalog verschiebt es in eine andere Umgebung, wodurch der Schreibschutz für die Sitzungen dieses Programms entfällt. Um das zu erlauben, fügen Sie --confirm %2 hinzu</translation>
    </message>
    <message>
        <source>The name of a production profile the catalogue moves to another environment; once for each.</source>
        <translation>Der Name eines Produktionsprofils, das der Katalog in eine andere Umgebung verschiebt; einmal für jedes.</translation>
    </message>
</context>
<context>
    <name>RequiredChecks</name>
    <message>
        <source>TLS in use with the server certificate verified (sslmode=%1)</source>
        <translation>TLS in Gebrauch, Serverzertifikat verifiziert (sslmode=%1)</translation>
    </message>
    <message>
        <source>TLS not verified</source>
        <translation>TLS nicht verifiziert</translation>
    </message>
    <message>
        <source>TLS not in use</source>
        <translation>TLS nicht in Gebrauch</translation>
    </message>
    <message>
        <source>A production connection must use verified TLS (now: sslmode=%1, TLS %2)</source>
        <translation>Eine Produktionsverbindung muss verifiziertes TLS verwenden (jetzt: sslmode=%1, TLS %2)</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>in Gebrauch</translation>
    </message>
    <message>
        <source>not in use</source>
        <translation>nicht in Gebrauch</translation>
    </message>
    <message>
        <source>Set sslmode=verify-full in the connection string</source>
        <translation>Setzen Sie sslmode=verify-full in der Verbindungszeichenfolge</translation>
    </message>
    <message>
        <source>Set sslrootcert to the CA certificate that signed the server&apos;s certificate (for AWS RDS, the RDS CA bundle)</source>
        <translation>Setzen Sie sslrootcert auf das CA-Zertifikat, das das Serverzertifikat signiert hat (für AWS RDS das RDS-CA-Bundle)</translation>
    </message>
    <message>
        <source>If the server does not offer TLS, ask its administrator to enable it (ssl = on with a certificate)</source>
        <translation>Bietet der Server kein TLS an, bitten Sie seinen Administrator, es einzuschalten (ssl = on mit einem Zertifikat)</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>required extension %1 is installed in database %2 (%3)</source>
        <translation>geforderte Erweiterung %1 ist in der Datenbank %2 installiert (%3)</translation>
    </message>
    <message>
        <source>%1 missing</source>
        <translation>%1 fehlt</translation>
    </message>
    <message>
        <source>required extension %1 is not created in database %2; the server has %3</source>
        <translation>geforderte Erweiterung %1 ist in der Datenbank %2 nicht angelegt; der Server hat %3</translation>
    </message>
    <message>
        <source>Create it in database %1: %2 (the Server page&apos;s Create button; a production profile asks for its name first)</source>
        <translation>Legen Sie sie in der Datenbank %1 an: %2 (Schaltfläche Anlegen auf der Seite Server; ein Produktionsprofil fragt zuerst nach seinem Namen)</translation>
    </message>
    <message>
        <source>required extension %1 is missing from the server</source>
        <translation>geforderte Erweiterung %1 fehlt auf dem Server</translation>
    </message>
    <message>
        <source>Install %1 on the server (one of these), then create it in database %2:</source>
        <translation>Installieren Sie %1 auf dem Server (auf einem dieser Wege) und legen Sie sie dann in der Datenbank %2 an:</translation>
    </message>
</context>
<context>
    <name>RotatePasswordDialog</name>
    <message>
        <source>Logged in with the current password.</source>
        <translation>Mit dem aktuellen Passwort angemeldet.</translation>
    </message>
    <message>
        <source>The server holds the new password.</source>
        <translation>Der Server hat das neue Passwort.</translation>
    </message>
    <message>
        <source>A fresh login with the new password worked.</source>
        <translation>Eine neue Anmeldung mit dem neuen Passwort hat funktioniert.</translation>
    </message>
    <message>
        <source>The keychain holds the new password.</source>
        <translation>Der Schlüsselbund enthält das neue Passwort.</translation>
    </message>
    <message>
        <source>Rotate password</source>
        <translation>Passwort rotieren</translation>
    </message>
    <message>
        <source>A new generated password for role %1 on %2, set on the server (only its SCRAM-SHA-256 verifier is sent), proven by a fresh login, then saved in the keychain for &quot;%3&quot;. If a step fails, the old password is put back.</source>
        <translation>Ein neu erzeugtes Passwort für die Rolle %1 auf %2: auf dem Server gesetzt (nur sein SCRAM-SHA-256-Verifier wird gesendet), durch eine neue Anmeldung bestätigt und dann für „%3“ im Schlüsselbund gespeichert. Scheitert ein Schritt, wird das alte Passwort wiederhergestellt.</translation>
    </message>
    <message>
        <source>Also give the new password to &quot;%1&quot;</source>
        <translation>Das neue Passwort auch „%1“ geben</translation>
    </message>
    <message>
        <source>It logs in as the same role on the same server: the old password stops working for it too.</source>
        <translation>Es meldet sich mit derselben Rolle am selben Server an: Das alte Passwort funktioniert auch dafür nicht mehr.</translation>
    </message>
    <message>
        <source>Profile name to confirm</source>
        <translation>Profilname zur Bestätigung</translation>
    </message>
    <message>
        <source>Type the name of this production profile:</source>
        <translation>Geben Sie den Namen dieses Produktionsprofils ein:</translation>
    </message>
    <message>
        <source>The new password</source>
        <translation>Das neue Passwort</translation>
    </message>
    <message>
        <source>Copy password</source>
        <translation>Passwort kopieren</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Rotieren</translation>
    </message>
    <message>
        <source>Rotated: the server, the keychain and the profile hold the new password.</source>
        <translation>Rotiert: Server, Schlüsselbund und Profil enthalten das neue Passwort.</translation>
    </message>
</context>
<context>
    <name>Route</name>
    <message>
        <source>character %1 (U+%2) cannot be part of it</source>
        <translation>Zeichen %1 (U+%2) darf nicht darin vorkommen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an SSH host ([user@]host[:port]): %2</source>
        <translation>„%1“ ist kein SSH-Host ([user@]host[:port]): %2</translation>
    </message>
    <message>
        <source>it is empty</source>
        <translation>er ist leer</translation>
    </message>
    <message>
        <source>it starts with &apos;-&apos;, which ssh would read as an option</source>
        <translation>er beginnt mit „-“, was ssh als Option lesen würde</translation>
    </message>
    <message>
        <source>the user before &apos;@&apos; is empty</source>
        <translation>der Benutzer vor „@“ ist leer</translation>
    </message>
    <message>
        <source>&apos;[&apos; without &apos;]&apos;</source>
        <translation>„[“ ohne „]“</translation>
    </message>
    <message>
        <source>text after &apos;]&apos; that is not :port</source>
        <translation>Text nach „]“, der nicht :port ist</translation>
    </message>
    <message>
        <source>the port after &apos;:&apos; is empty</source>
        <translation>der Port nach „:“ ist leer</translation>
    </message>
    <message>
        <source>the host is empty</source>
        <translation>der Host ist leer</translation>
    </message>
    <message>
        <source>the host starts with &apos;-&apos;, which ssh would read as an option</source>
        <translation>der Host beginnt mit „-“, was ssh als Option lesen würde</translation>
    </message>
    <message>
        <source>the port &quot;%1&quot; is not a number from 1 to 65535</source>
        <translation>der Port „%1“ ist keine Zahl von 1 bis 65535</translation>
    </message>
    <message>
        <source>the identity file&apos;s name: %1</source>
        <translation>der Name der Identitätsdatei: %1</translation>
    </message>
    <message>
        <source>the tunnel command: %1</source>
        <translation>der Tunnelbefehl: %1</translation>
    </message>
    <message>
        <source>the tunnel command is empty</source>
        <translation>der Tunnelbefehl ist leer</translation>
    </message>
    <message>
        <source>the tunnel command has no {port} in its arguments: it is where the command must listen, a free port on 127.0.0.1 that this program picks (for example kubectl port-forward svc/postgres {port}:5432)</source>
        <translation>der Tunnelbefehl hat kein {port} in seinen Argumenten: Dort muss der Befehl lauschen, auf einem freien Port auf 127.0.0.1, den dieses Programm wählt (zum Beispiel kubectl port-forward svc/postgres {port}:5432)</translation>
    </message>
    <message>
        <source>via %1</source>
        <translation>über %1</translation>
    </message>
    <message>
        <source>via %1, then %2</source>
        <translation>über %1, dann %2</translation>
    </message>
    <message>
        <source>an unknown route kind &quot;%1&quot;</source>
        <translation>eine unbekannte Art von Verbindungsweg „%1“</translation>
    </message>
    <message>
        <source>a host name holds only letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;:&apos; and &apos;%&apos;</source>
        <translation>ein Hostname besteht nur aus Buchstaben, Ziffern, „.“, „-“, „_“, „:“ und „%“</translation>
    </message>
    <message>
        <source>the SSH passphrase or password is empty</source>
        <translation>die SSH-Passphrase bzw. das SSH-Passwort ist leer</translation>
    </message>
    <message>
        <source>the SSH passphrase or password holds a line break, which ssh cannot take</source>
        <translation>die SSH-Passphrase bzw. das SSH-Passwort enthält einen Zeilenumbruch, den ssh nicht annehmen kann</translation>
    </message>
</context>
<context>
    <name>SecretScan</name>
    <message>
        <source>a URL with a password</source>
        <translation>eine URL mit Passwort</translation>
    </message>
    <message>
        <source>a password= setting</source>
        <translation>eine password=-Angabe</translation>
    </message>
    <message>
        <source>a private key</source>
        <translation>einen privaten Schlüssel</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <source>No password is saved in the keychain for this profile.</source>
        <translation>Für dieses Profil ist im Schlüsselbund kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>The keychain refused access (it may be locked, or access was denied). Unlock it and try again, or type the password for this session only.</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert (er ist vielleicht gesperrt, oder der Zugriff wurde abgelehnt). Entsperren Sie ihn und versuchen Sie es erneut, oder geben Sie das Passwort nur für diese Sitzung ein.</translation>
    </message>
    <message>
        <source>No keychain service is running (no Secret Service such as GNOME Keyring or KWallet answered on the session bus). Start or install one, or type the password for this session only.</source>
        <translation>Es läuft kein Schlüsselbunddienst (kein Secret Service wie GNOME Keyring oder KWallet hat auf dem Sitzungsbus geantwortet). Starten oder installieren Sie einen, oder geben Sie das Passwort nur für diese Sitzung ein.</translation>
    </message>
    <message>
        <source>No keychain is available: there is no desktop session bus to reach the Secret Service (GNOME Keyring or KWallet). Run inside a desktop session, or type the password for this session only.</source>
        <translation>Kein Schlüsselbund verfügbar: Es gibt keinen Sitzungsbus einer Desktop-Sitzung, über den der Secret Service (GNOME Keyring oder KWallet) erreichbar wäre. Starten Sie das Programm in einer Desktop-Sitzung, oder geben Sie das Passwort nur für diese Sitzung ein.</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>Der Schlüsselbund hat einen Fehler gemeldet: %1</translation>
    </message>
    <message>
        <source>The keychain is locked, so the saved password cannot be read. Unlock the keychain (for example the &quot;Login&quot; keyring in your desktop&apos;s password manager) and try again, or type the password for this session only.</source>
        <translation>Der Schlüsselbund ist gesperrt, daher ist das gespeicherte Passwort nicht lesbar. Entsperren Sie den Schlüsselbund (etwa den Schlüsselbund „Anmeldung“ in der Passwortverwaltung Ihres Desktops) und versuchen Sie es erneut, oder geben Sie das Passwort nur für diese Sitzung ein.</translation>
    </message>
    <message>
        <source>The keychain is locked, so the saved password cannot be deleted. Unlock the keychain (for example the &quot;Login&quot; keyring in your desktop&apos;s password manager) and try again.</source>
        <translation>Der Schlüsselbund ist gesperrt, daher lässt sich das gespeicherte Passwort nicht löschen. Entsperren Sie den Schlüsselbund (etwa den Schlüsselbund „Anmeldung“ in der Passwortverwaltung Ihres Desktops) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 seconds. It may be waiting for you to unlock it; try again, or type the password for this session only.</source>
        <translation>Der Schlüsselbund hat nicht innerhalb von %1 Sekunden geantwortet. Vielleicht wartet er darauf, dass Sie ihn entsperren; versuchen Sie es erneut, oder geben Sie das Passwort nur für diese Sitzung ein.</translation>
    </message>
</context>
<context>
    <name>SecurityAudit</name>
    <message>
        <source>Change it on the server and where the password is kept.</source>
        <translation>Ändern Sie es auf dem Server und dort, wo das Passwort aufbewahrt wird.</translation>
    </message>
    <message>
        <source>Rotate it to a generated password, on the server and here at once: orderflow-dbadmin profiles rotate-password %1</source>
        <translation>Rotieren Sie es zu einem erzeugten Passwort, auf dem Server und hier zugleich: orderflow-dbadmin profiles rotate-password %1</translation>
    </message>
    <message>
        <source>TLS verifies the server</source>
        <translation>TLS verifiziert den Server</translation>
    </message>
    <message>
        <source>sslmode=verify-full checks the certificate and the host name.</source>
        <translation>sslmode=verify-full prüft das Zertifikat und den Hostnamen.</translation>
    </message>
    <message>
        <source>TLS does not check the host name</source>
        <translation>TLS prüft den Hostnamen nicht</translation>
    </message>
    <message>
        <source>sslmode=verify-ca trusts any server with a certificate from the CA; keep it only with a reason (a load balancer name the certificate cannot carry).</source>
        <translation>sslmode=verify-ca vertraut jedem Server mit einem Zertifikat dieser CA; behalten Sie es nur mit gutem Grund (ein Load-Balancer-Name, den das Zertifikat nicht tragen kann).</translation>
    </message>
    <message>
        <source>Use sslmode=verify-full with sslrootcert set to the CA certificate.</source>
        <translation>Verwenden Sie sslmode=verify-full mit sslrootcert auf dem CA-Zertifikat.</translation>
    </message>
    <message>
        <source>TLS is not verified (sslmode=%1)</source>
        <translation>TLS ist nicht verifiziert (sslmode=%1)</translation>
    </message>
    <message>
        <source>Without verification a machine in the middle can read the password and the data. The document: Require SSL in production: sslmode=verify-full.</source>
        <translation>Ohne Verifikation kann ein Rechner dazwischen Passwort und Daten mitlesen. Das Dokument: Require SSL in production: sslmode=verify-full.</translation>
    </message>
    <message>
        <source>Set sslmode=verify-full and sslrootcert=/path/to/ca.crt (for AWS RDS, the RDS CA bundle).</source>
        <translation>Setzen Sie sslmode=verify-full und sslrootcert=/path/to/ca.crt (für AWS RDS das RDS-CA-Bundle).</translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation>TLS: %1</translation>
    </message>
    <message>
        <source>A %1 profile; verified TLS matters most for staging and production.</source>
        <translation>Ein Profil der Umgebung %1; verifiziertes TLS zählt vor allem für Staging und Produktion.</translation>
    </message>
    <message>
        <source>Short-lived password from a command</source>
        <translation>Kurzlebiges Passwort von einem Befehl</translation>
    </message>
    <message>
        <source>A token printed on demand (IAM authentication, a secrets manager) is never stored and expires by itself.</source>
        <translation>Ein auf Abruf ausgegebenes Token (IAM-Authentifizierung, ein Secret-Manager) wird nie gespeichert und läuft von selbst ab.</translation>
    </message>
    <message>
        <source>Password not checked</source>
        <translation>Passwort nicht geprüft</translation>
    </message>
    <message>
        <source>The keychain did not give the password to the audit.</source>
        <translation>Der Schlüsselbund hat das Passwort für die Prüfung nicht herausgegeben.</translation>
    </message>
    <message>
        <source>No password is stored for this profile.</source>
        <translation>Für dieses Profil ist kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>Strong password</source>
        <translation>Starkes Passwort</translation>
    </message>
    <message numerus="yes">
        <source>%1 characters from %n character classes.</source>
        <translation>
            <numerusform>%1 Zeichen aus %n Zeichenklasse.</numerusform>
            <numerusform>%1 Zeichen aus %n Zeichenklassen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Weak password</source>
        <translation>Schwaches Passwort</translation>
    </message>
    <message numerus="yes">
        <source>%1 characters from %n character classes; the document asks for 16 or more, letters and digits and symbols.</source>
        <translation>
            <numerusform>%1 Zeichen aus %n Zeichenklasse; das Dokument verlangt 16 oder mehr, mit Buchstaben, Ziffern und Sonderzeichen.</numerusform>
            <numerusform>%1 Zeichen aus %n Zeichenklassen; das Dokument verlangt 16 oder mehr, mit Buchstaben, Ziffern und Sonderzeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>A well-known default password</source>
        <translation>Ein bekanntes Standardpasswort</translation>
    </message>
    <message>
        <source>This password appears in documentation and examples; anyone can guess it.</source>
        <translation>Dieses Passwort steht in Dokumentation und Beispielen; jeder kann es erraten.</translation>
    </message>
    <message>
        <source>Change it on the server and here, now.</source>
        <translation>Ändern Sie es auf dem Server und hier, und zwar jetzt.</translation>
    </message>
    <message numerus="yes">
        <source>Password is %n days old</source>
        <translation>
            <numerusform>Das Passwort ist %n Tag alt</numerusform>
            <numerusform>Das Passwort ist %n Tage alt</numerusform>
        </translation>
    </message>
    <message>
        <source>The document: rotate passwords regularly, especially for production.</source>
        <translation>Das Dokument: Passwörter regelmäßig rotieren, besonders für die Produktion.</translation>
    </message>
    <message numerus="yes">
        <source>Password changed %n days ago</source>
        <translation>
            <numerusform>Passwort vor %n Tag geändert</numerusform>
            <numerusform>Passwort vor %n Tagen geändert</numerusform>
        </translation>
    </message>
    <message>
        <source>Within 90 days.</source>
        <translation>Innerhalb von 90 Tagen.</translation>
    </message>
    <message>
        <source>%1 holds the password and git would commit it</source>
        <translation>%1 enthält das Passwort, und git würde es committen</translation>
    </message>
    <message>
        <source>The document: never commit passwords; .env files belong in .gitignore.</source>
        <translation>Das Dokument: Passwörter nie committen; .env-Dateien gehören in .gitignore.</translation>
    </message>
    <message>
        <source>Add .env to .gitignore (and remove it from history if it was committed), then rotate the password.</source>
        <translation>Tragen Sie .env in .gitignore ein (und entfernen Sie die Datei aus der Historie, falls sie committet wurde), dann rotieren Sie das Passwort.</translation>
    </message>
    <message>
        <source>%1 is ignored by git</source>
        <translation>%1 wird von git ignoriert</translation>
    </message>
    <message>
        <source>It will not be committed.</source>
        <translation>Die Datei wird nicht committet.</translation>
    </message>
    <message>
        <source>A connection pooler is in use</source>
        <translation>Ein Connection-Pooler ist in Gebrauch</translation>
    </message>
    <message>
        <source>PgBouncer keeps the server&apos;s connection count independent of the number of application workers.</source>
        <translation>PgBouncer macht die Zahl der Verbindungen zum Server unabhängig von der Zahl der Worker der Anwendung.</translation>
    </message>
    <message>
        <source>No connection pooler</source>
        <translation>Kein Connection-Pooler</translation>
    </message>
    <message numerus="yes">
        <source>Up to %n direct connections from this application&apos;s pools.</source>
        <translation>
            <numerusform>Bis zu %n direkte Verbindung aus den Pools dieser Anwendung.</numerusform>
            <numerusform>Bis zu %n direkte Verbindungen aus den Pools dieser Anwendung.</numerusform>
        </translation>
    </message>
    <message>
        <source>With many workers, put PgBouncer in front (port 6432) and point the profile at it.</source>
        <translation>Bei vielen Workern schalten Sie PgBouncer davor (Port 6432) und lassen das Profil darauf zeigen.</translation>
    </message>
    <message>
        <source>Reporting with the application&apos;s own role</source>
        <translation>Reporting mit der eigenen Rolle der Anwendung</translation>
    </message>
    <message>
        <source>The document: use read-only users for reporting and analytics queries.</source>
        <translation>Das Dokument: Für Reporting- und Analyseabfragen nur lesende Benutzer verwenden.</translation>
    </message>
    <message>
        <source>CREATE ROLE reporting LOGIN PASSWORD &apos;...&apos;; GRANT pg_read_all_data TO reporting; and use it in this profile.</source>
        <translation>CREATE ROLE reporting LOGIN PASSWORD &apos;...&apos;; GRANT pg_read_all_data TO reporting; und diese Rolle in diesem Profil verwenden.</translation>
    </message>
    <message>
        <source>Reporting with its own role (%1)</source>
        <translation>Reporting mit eigener Rolle (%1)</translation>
    </message>
    <message>
        <source>Make sure the role can only read.</source>
        <translation>Stellen Sie sicher, dass die Rolle nur lesen kann.</translation>
    </message>
    <message>
        <source>%1 profile &quot;%2&quot;: %3. %4</source>
        <translation>Profil „%2“ (%1): %3. %4</translation>
    </message>
    <message>
        <source>PgBouncer&apos;s settings fit the pool settings</source>
        <translation>Die Einstellungen von PgBouncer passen zu den Pool-Einstellungen</translation>
    </message>
</context>
<context>
    <name>SecurityAuditView</name>
    <message>
        <source>Check a .env file...</source>
        <translation>.env-Datei prüfen...</translation>
    </message>
    <message>
        <source>Check a .env file</source>
        <translation>.env-Datei prüfen</translation>
    </message>
    <message>
        <source>Rotate password...</source>
        <translation>Passwort rotieren...</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Why, and what to do</source>
        <translation>Warum, und was zu tun ist</translation>
    </message>
    <message>
        <source>A generated password, set on the server and saved here in one step</source>
        <translation>Ein erzeugtes Passwort, in einem Schritt auf dem Server gesetzt und hier gespeichert</translation>
    </message>
    <message>
        <source>Security checks</source>
        <translation>Sicherheitsprüfungen</translation>
    </message>
    <message>
        <source>Passed: %1   To note: %2   Warnings: %3   Failed: %4</source>
        <translation>Bestanden: %1   Hinweise: %2   Warnungen: %3   Fehlgeschlagen: %4</translation>
    </message>
</context>
<context>
    <name>ServerPanel</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Password for this session only (not stored)</source>
        <translation>Passwort nur für diese Sitzung (wird nicht gespeichert)</translation>
    </message>
    <message>
        <source>Use and connect</source>
        <translation>Verwenden und verbinden</translation>
    </message>
    <message>
        <source>Refreshing...</source>
        <translation>Wird aktualisiert...</translation>
    </message>
    <message>
        <source>PostgreSQL %1, database %2 as %3; updated %4, every %5 s</source>
        <translation>PostgreSQL %1, Datenbank %2 als %3; aktualisiert %4, alle %5 s</translation>
    </message>
    <message>
        <source>Not connected yet.</source>
        <translation>Noch nicht verbunden.</translation>
    </message>
    <message>
        <source>Type the password for %1 (kept for this session only) to connect.</source>
        <translation>Geben Sie zum Verbinden das Passwort für %1 ein (es gilt nur für diese Sitzung).</translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation>Verbindung wird hergestellt...</translation>
    </message>
    <message>
        <source>Trying again every %1 s.</source>
        <translation>Neuer Versuch alle %1 s.</translation>
    </message>
    <message>
        <source>Last refresh failed at %1.</source>
        <translation>Letzte Aktualisierung um %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Create database %1...</source>
        <translation>Datenbank %1 anlegen...</translation>
    </message>
    <message>
        <source>%1 cannot be created by %2: %3
The statement for an administrator: %4</source>
        <translation>%1 kann von %2 nicht angelegt werden: %3
Die Anweisung für einen Administrator: %4</translation>
    </message>
    <message>
        <source>Create extension %1</source>
        <translation>Erweiterung %1 anlegen</translation>
    </message>
    <message>
        <source>Creating %1 failed: %2</source>
        <translation>Anlegen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Create database %1</source>
        <translation>Datenbank %1 anlegen</translation>
    </message>
    <message>
        <source>Owner of the new database:</source>
        <translation>Eigentümer der neuen Datenbank:</translation>
    </message>
    <message>
        <source>%1 may not create databases (it has neither CREATEDB nor superuser). Ask an administrator to run:
%2</source>
        <translation>%1 darf keine Datenbanken anlegen (hat weder CREATEDB noch Superuser-Rechte). Bitten Sie einen Administrator, auszuführen:
%2</translation>
    </message>
    <message>
        <source>%1 may create databases.</source>
        <translation>%1 darf Datenbanken anlegen.</translation>
    </message>
    <message>
        <source>Creating the database failed: %1</source>
        <translation>Anlegen der Datenbank fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Password for this session</source>
        <translation>Passwort für diese Sitzung</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
</context>
<context>
    <name>ServerSnapshot</name>
    <message>
        <source>the server&apos;s answer is not readable: %1</source>
        <translation>die Antwort des Servers ist nicht lesbar: %1</translation>
    </message>
</context>
<context>
    <name>SlotCounts</name>
    <message>
        <source>%1 of %2 usable slots in use: %3 in database %4, %5 in other databases, %6 of this tool&apos;s own (not counted in %4). %7 free (%8%).</source>
        <translation>%1 von %2 nutzbaren Plätzen belegt: %3 in Datenbank %4, %5 in anderen Datenbanken, %6 von diesem Programm selbst (nicht in %4 gezählt). %7 frei (%8 %).</translation>
    </message>
</context>
<context>
    <name>SslModes</name>
    <message>
        <source>No SSL (development only)</source>
        <translation>Kein SSL (nur Entwicklung)</translation>
    </message>
    <message>
        <source>Try SSL, fall back to plain</source>
        <translation>SSL versuchen, sonst unverschlüsselt</translation>
    </message>
    <message>
        <source>Try SSL first (default)</source>
        <translation>Zuerst SSL versuchen (Standard)</translation>
    </message>
    <message>
        <source>Require SSL, verify nothing</source>
        <translation>SSL verlangen, nichts verifizieren</translation>
    </message>
    <message>
        <source>Require SSL, verify CA certificate</source>
        <translation>SSL verlangen, CA-Zertifikat verifizieren</translation>
    </message>
    <message>
        <source>Require SSL, verify CA and hostname</source>
        <translation>SSL verlangen, CA und Hostnamen verifizieren</translation>
    </message>
</context>
<context>
    <name>StageTiming</name>
    <message>
        <source>not needed</source>
        <translation>nicht nötig</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>nicht erreicht</translation>
    </message>
    <message>
        <source>TLS not in use</source>
        <translation>TLS nicht in Gebrauch</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>SupportReport</name>
    <message>
        <source>OrderFlow DB Admin connection report
</source>
        <translation>Verbindungsbericht von OrderFlow DB Admin
</translation>
    </message>
    <message>
        <source>Product: OrderFlow DB Admin %1
</source>
        <translation>Produkt: OrderFlow DB Admin %1
</translation>
    </message>
    <message>
        <source>libpq: %1
</source>
        <translation>libpq: %1
</translation>
    </message>
    <message>
        <source>Qt: %1
</source>
        <translation>Qt: %1
</translation>
    </message>
    <message>
        <source>OS: %1 (%2 %3, %4)
</source>
        <translation>Betriebssystem: %1 (%2 %3, %4)
</translation>
    </message>
    <message>
        <source>Time (UTC): %1
</source>
        <translation>Zeit (UTC): %1
</translation>
    </message>
    <message>
        <source>Profile: %1, environment %2
</source>
        <translation>Profil: %1, Umgebung %2
</translation>
    </message>
    <message>
        <source>Profile: none (a connection string)
</source>
        <translation>Profil: keins (eine Verbindungszeichenfolge)
</translation>
    </message>
    <message>
        <source>
Stages:
</source>
        <translation>
Schritte:
</translation>
    </message>
    <message>
        <source> %1 ms</source>
        <translation> %1 ms</translation>
    </message>
    <message>
        <source>
Server: PostgreSQL %1 (%2)
</source>
        <translation>
Server: PostgreSQL %1 (%2)
</translation>
    </message>
    <message>
        <source>TLS: %1, %2
</source>
        <translation>TLS: %1, %2
</translation>
    </message>
    <message>
        <source>Certificate: %1, issued by %2, valid until %3
</source>
        <translation>Zertifikat: %1, ausgestellt von %2, gültig bis %3
</translation>
    </message>
    <message>
        <source>TLS: not in use
</source>
        <translation>TLS: nicht in Gebrauch
</translation>
    </message>
    <message>
        <source>Round trip: %1 ms
</source>
        <translation>Umlaufzeit: %1 ms
</translation>
    </message>
    <message>
        <source>max_connections: %1 (superuser_reserved_connections %2)
</source>
        <translation>max_connections: %1 (superuser_reserved_connections %2)
</translation>
    </message>
    <message>
        <source>Summary: %1
</source>
        <translation>Zusammenfassung: %1
</translation>
    </message>
    <message>
        <source>Target: %1
</source>
        <translation>Ziel: %1
</translation>
    </message>
    <message>
        <source>(not readable)</source>
        <translation>(nicht lesbar)</translation>
    </message>
    <message>
        <source>Category: %1, at stage %2
</source>
        <translation>Kategorie: %1, beim Schritt %2
</translation>
    </message>
    <message>
        <source>Tried: user %1 at %2 port %3, database %4, sslmode %5
</source>
        <translation>Versucht: Benutzer %1 auf %2 Port %3, Datenbank %4, sslmode %5
</translation>
    </message>
    <message>
        <source>Elapsed: %1 ms
</source>
        <translation>Dauer: %1 ms
</translation>
    </message>
    <message>
        <source>
Failed required check: %1
</source>
        <translation>
Fehlgeschlagene geforderte Prüfung: %1
</translation>
    </message>
    <message>
        <source>
Message:
</source>
        <translation>
Meldung:
</translation>
    </message>
    <message>
        <source>SQLSTATE: %1
</source>
        <translation>SQLSTATE: %1
</translation>
    </message>
    <message>
        <source>Evidence:</source>
        <translation>Befund:</translation>
    </message>
    <message>
        <source>What to do:</source>
        <translation>Was zu tun ist:</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>Warnungen:</translation>
    </message>
    <message>
        <source>Parameters in effect:</source>
        <translation>Wirksame Parameter:</translation>
    </message>
    <message>
        <source>Through: %1 (libpq dials its local port 127.0.0.1:%2)
</source>
        <translation>Über: %1 (libpq wählt seinen lokalen Port 127.0.0.1:%2)
</translation>
    </message>
    <message>
        <source>Through: %1
</source>
        <translation>Über: %1
</translation>
    </message>
</context>
<context>
    <name>TestOutcome</name>
    <message>
        <source>Passed</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Checks failed</source>
        <translation>Prüfungen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n Min.</numerusform>
            <numerusform>vor %n Min.</numerusform>
        </translation>
    </message>
    <message>
        <source>today %1</source>
        <translation>heute %1</translation>
    </message>
    <message>
        <source>yesterday %1</source>
        <translation>gestern %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Passed %1</source>
        <translation>Bestanden, %1</translation>
    </message>
    <message>
        <source>Connected, but a required check failed, %1</source>
        <translation>Verbunden, aber eine geforderte Prüfung ist fehlgeschlagen, %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>Tunnel</name>
    <message>
        <source>ssh did not open the forward within %1 s</source>
        <translation>ssh hat die Weiterleitung nicht innerhalb von %1 s geöffnet</translation>
    </message>
    <message>
        <source>the command did not listen on 127.0.0.1:%1 within %2 s</source>
        <translation>der Befehl hat nicht innerhalb von %2 s auf 127.0.0.1:%1 gelauscht</translation>
    </message>
    <message>
        <source>%1 could not be started: %2</source>
        <translation>%1 konnte nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>%1 ended by a signal</source>
        <translation>%1 wurde durch ein Signal beendet</translation>
    </message>
    <message>
        <source>%1 exited with status %2</source>
        <translation>%1 endete mit Status %2</translation>
    </message>
    <message>
        <source>%1, after the tunnel had opened</source>
        <translation>%1, nachdem der Tunnel offen war</translation>
    </message>
    <message>
        <source>%1, before its forward listened</source>
        <translation>%1, bevor seine Weiterleitung lauschte</translation>
    </message>
    <message>
        <source>%1, before its port opened</source>
        <translation>%1, bevor sein Port offen war</translation>
    </message>
    <message>
        <source>ssh was stopped: %1 sent a key that was not accepted</source>
        <translation>ssh wurde angehalten: %1 hat einen Schlüssel geschickt, der nicht angenommen wurde</translation>
    </message>
    <message>
        <source>%1 sent the key %2, not the accepted one; it was not added to known_hosts</source>
        <translation>%1 hat den Schlüssel %2 geschickt, nicht den angenommenen; er wurde nicht in known_hosts aufgenommen</translation>
    </message>
    <message>
        <source>The SSH password</source>
        <translation>Das SSH-Passwort</translation>
    </message>
    <message>
        <source>The passphrase of the SSH key</source>
        <translation>Die Passphrase des SSH-Schlüssels</translation>
    </message>
    <message>
        <source>%1 was saved for this profile, but the keychain has no entry for it now: it was removed outside this program. Save it again on the Connection page.</source>
        <translation>%1 wurde für dieses Profil gespeichert, aber der Schlüsselbund hat jetzt keinen Eintrag dafür: Er wurde außerhalb dieses Programms entfernt. Speichern Sie es auf der Seite „Verbindung“ erneut.</translation>
    </message>
    <message>
        <source>%1 could not be read from the keychain: %2</source>
        <translation>%1 konnte nicht aus dem Schlüsselbund gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 could not be handed to ssh: no local socket (%2)</source>
        <translation>%1 konnte nicht an ssh übergeben werden: kein lokaler Socket (%2)</translation>
    </message>
    <message>
        <source>The SSH password saved in the keychain was refused: save the right one on the Connection page.</source>
        <translation>Das im Schlüsselbund gespeicherte SSH-Passwort wurde abgelehnt: Speichern Sie das richtige auf der Seite „Verbindung“.</translation>
    </message>
    <message>
        <source>The passphrase saved in the keychain did not unlock the key: save the right one on the Connection page.</source>
        <translation>Die im Schlüsselbund gespeicherte Passphrase hat den Schlüssel nicht entsperrt: Speichern Sie die richtige auf der Seite „Verbindung“.</translation>
    </message>
    <message>
        <source>a program of another user</source>
        <translation>ein Programm eines anderen Benutzers</translation>
    </message>
    <message>
        <source>process %1</source>
        <translation>Prozess %1</translation>
    </message>
    <message>
        <source>127.0.0.1:%1 is answered by %2, not by the tunnel; nothing was sent to it. Test again: another free port is picked.</source>
        <translation>Auf 127.0.0.1:%1 antwortet %2, nicht der Tunnel; es wurde nichts dorthin gesendet. Testen Sie erneut: Ein anderer freier Port wird gewählt.</translation>
    </message>
    <message>
        <source>The passphrase saved in the keychain may not unlock the key, or a host after the first refuses the key: check the passphrase on the Connection page, and the key&apos;s public half on each host.</source>
        <translation>Die im Schlüsselbund gespeicherte Passphrase entsperrt den Schlüssel womöglich nicht, oder ein späterer Host lehnt den Schlüssel ab: Prüfen Sie die Passphrase auf der Seite „Verbindung“ und den öffentlichen Teil des Schlüssels auf jedem Host.</translation>
    </message>
</context>
<context>
    <name>TunnelLease</name>
    <message>
        <source>the application is quitting</source>
        <translation>das Programm wird beendet</translation>
    </message>
</context>
<context>
    <name>TunnelLog</name>
    <message>
        <source>ssh said: %1</source>
        <translation>ssh meldete: %1</translation>
    </message>
    <message>
        <source>%1 holds another %2 key for %3 at line %4</source>
        <translation>%1 enthält in Zeile %4 einen anderen %2-Schlüssel für %3</translation>
    </message>
    <message>
        <source>%1 sent a key with the fingerprint %2</source>
        <translation>%1 hat einen Schlüssel mit dem Fingerabdruck %2 geschickt</translation>
    </message>
    <message>
        <source>Ask the administrator of %1 whether its host key was replaced, and compare the fingerprint it sent (%2) with theirs</source>
        <translation>Fragen Sie den Administrator von %1, ob der Hostschlüssel ersetzt wurde, und vergleichen Sie den geschickten Fingerabdruck (%2) mit seinem</translation>
    </message>
    <message>
        <source>Only if they confirm it: remove the old key with ssh-keygen -R %1%2, then connect again and accept the new one</source>
        <translation>Nur wenn er es bestätigt: Entfernen Sie den alten Schlüssel mit ssh-keygen -R %1%2, verbinden Sie sich dann erneut und nehmen Sie den neuen an</translation>
    </message>
    <message>
        <source>%1 sent the %2 key %3</source>
        <translation>%1 hat den %2-Schlüssel %3 geschickt</translation>
    </message>
    <message>
        <source>Compare %1 with the fingerprint of %2 that its administrator gives you (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)</source>
        <translation>Vergleichen Sie %1 mit dem Fingerabdruck von %2, den Ihnen sein Administrator nennt (auf dem Host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)</translation>
    </message>
    <message>
        <source>%1 accepts these methods: %2</source>
        <translation>%1 nimmt diese Verfahren an: %2</translation>
    </message>
    <message>
        <source>The identity file %1 cannot be read (%2): check its path in the profile&apos;s route</source>
        <translation>Die Schlüsseldatei %1 lässt sich nicht lesen (%2): Prüfen Sie ihren Pfad im Weg des Profils</translation>
    </message>
    <message>
        <source>The key %1 could not be loaded: %2</source>
        <translation>Der Schlüssel %1 ließ sich nicht laden: %2</translation>
    </message>
    <message>
        <source>%1 accepts the key %2, but it needs its passphrase: load it into ssh-agent (ssh-add %3) or save the passphrase in the profile</source>
        <translation>%1 nimmt den Schlüssel %2 an, aber er braucht seine Passphrase: Laden Sie ihn in den ssh-agent (ssh-add %3) oder speichern Sie die Passphrase im Profil</translation>
    </message>
    <message>
        <source>No key was offered (none in ssh-agent, none readable among the identity files)</source>
        <translation>Es wurde kein Schlüssel angeboten (keiner im ssh-agent, keine lesbare Schlüsseldatei)</translation>
    </message>
    <message>
        <source>Keys offered and refused: %1</source>
        <translation>Angebotene und abgelehnte Schlüssel: %1</translation>
    </message>
    <message>
        <source>%1 port %2 did not take the SSH connection (%3): check the name, the port and that its SSH server runs</source>
        <translation>%1 Port %2 hat die SSH-Verbindung nicht angenommen (%3): Prüfen Sie Namen, Port und ob sein SSH-Server läuft</translation>
    </message>
    <message>
        <source>The name %1 does not resolve (%2): check it, or connect to the network (VPN) where it does, or use a Host alias of ~/.ssh/config</source>
        <translation>Der Name %1 lässt sich nicht auflösen (%2): Prüfen Sie ihn, verbinden Sie sich mit dem Netz (VPN), in dem er sich auflösen lässt, oder nutzen Sie einen Host-Alias aus ~/.ssh/config</translation>
    </message>
    <message>
        <source>A jump host could not reach the next host (%1): check the next host&apos;s name and port as the jump host sees them</source>
        <translation>Ein Sprunghost konnte den nächsten Host nicht erreichen (%1): Prüfen Sie Namen und Port des nächsten Hosts, wie der Sprunghost sie sieht</translation>
    </message>
    <message>
        <source>The SSH connection to %1 ended early; if %1 is reached through a jump host, the jump host&apos;s lines above say why</source>
        <translation>Die SSH-Verbindung zu %1 endete vorzeitig; wird %1 über einen Sprunghost erreicht, sagen dessen Zeilen oben, warum</translation>
    </message>
    <message>
        <source>it said: %1</source>
        <translation>er meldete: %1</translation>
    </message>
    <message>
        <source>it printed nothing</source>
        <translation>er gab nichts aus</translation>
    </message>
    <message>
        <source>the command: %1</source>
        <translation>der Befehl: %1</translation>
    </message>
    <message>
        <source>%1 could not open %2 (%3)</source>
        <translation>%1 konnte %2 nicht öffnen (%3)</translation>
    </message>
</context>
<context>
    <name>UrlCommand</name>
    <message>
        <source>url needs --url URL</source>
        <translation>url braucht --url URL</translation>
    </message>
    <message>
        <source>invalid connection string: %1</source>
        <translation>ungültige Verbindungszeichenfolge: %1</translation>
    </message>
    <message>
        <source>note: the connection string holds a password; on the command line, shell history and process lists can see it.</source>
        <translation>Hinweis: Die Verbindungszeichenfolge enthält ein Passwort; auf der Befehlszeile sehen Shell-Verlauf und Prozesslisten es.</translation>
    </message>
    <message>
        <source>valid: %1
</source>
        <translation>gültig: %1
</translation>
    </message>
    <message>
        <source>driver: %1
</source>
        <translation>Treiber: %1
</translation>
    </message>
    <message>
        <source>parse and validate a connection string</source>
        <translation>eine Verbindungszeichenfolge zerlegen und prüfen</translation>
    </message>
    <message>
        <source>The connection string.</source>
        <translation>Die Verbindungszeichenfolge.</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON ausgeben.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>The Fusion style with a light or a dark palette.</source>
        <translation>Der Fusion-Stil mit heller oder dunkler Palette.</translation>
    </message>
    <message>
        <source>--color-scheme takes light or dark.</source>
        <translation>--color-scheme erwartet light oder dark.</translation>
    </message>
</context>
</TS>
