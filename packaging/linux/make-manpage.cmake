# Writes the man page from the program's own --help, so the two never disagree.
#   cmake -DPROGRAM=... -DVERSION=... -DOUTPUT=... -P make-manpage.cmake
execute_process(COMMAND "${PROGRAM}" --help
    OUTPUT_VARIABLE help RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} --help failed: ${result}")
endif()
# roff: escape backslashes, and keep lines that start with a dot or quote literal.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(TIMESTAMP date "%Y-%m-%d" UTC)
file(WRITE "${OUTPUT}" ".TH ORDERFLOW-DBADMIN 1 \"${date}\" \"orderflow-dbadmin ${VERSION}\" \"User Commands\"
.SH NAME
orderflow-dbadmin \\- connection profiles, diagnosis and pool monitoring for OrderFlow's PostgreSQL databases
.SH SYNOPSIS
.B orderflow-dbadmin
[\\fB\\-\\-profile\\fR \\fINAME\\fR]
.br
.B orderflow-dbadmin
\\fICOMMAND\\fR [\\fIOPTIONS\\fR]
.SH DESCRIPTION
Without a command, opens the desktop window. With a command, runs headless and prints
plain text or JSON. Passwords are kept in the system keychain, never in files.
.SH USAGE
.nf
${help}
.fi
.SH FILES
.TP
.I ~/.config/OrderFlow/orderflow-dbadmin/profiles.json
Saved profiles (no passwords). \\fBORDERFLOW_DBADMIN_CONFIG_DIR\\fR overrides the folder.
.SH SEE ALSO
.BR psql (1),
.BR pg_service.conf (5)
")
