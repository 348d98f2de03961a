# Writes the man page from the program's own --help and each subcommand's --help, so the two
# never disagree.
#   cmake -DPROGRAM=... -DVERSION=... -DOUTPUT=... -P make-manpage.cmake

# The help in English, whatever language the machine that builds the package speaks: LANGUAGE
# would otherwise still choose a translation.
function(program_help out)
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -E env --unset=LANGUAGE --unset=LC_MESSAGES LC_ALL=C.UTF-8
                "${PROGRAM}" ${ARGN} --help
        OUTPUT_VARIABLE help RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed: ${result}")
    endif()
    # roff: escape backslashes, and keep lines that start with a dot or quote literal.
    string(REPLACE "\\" "\\e" help "${help}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
    set(${out} "${help}" PARENT_SCOPE)
endfunction()

program_help(help)
# The subcommands are the lowercase words after the program's name in the usage rows
# ("check", "profiles add"); what follows them is options and upper-case arguments.
string(REGEX MATCHALL "\n  orderflow-dbadmin [a-z][a-z-]*( [a-z][a-z-]*)?" rows "${help}")
set(commands "")
foreach(row IN LISTS rows)
    string(REGEX REPLACE "^\n  orderflow-dbadmin " "" name "${row}")
    separate_arguments(words UNIX_COMMAND "${name}")
    program_help(command_help ${words})
    string(APPEND commands ".SS ${name}\n.nf\n${command_help}.fi\n")
endforeach()
if(commands STREQUAL "")
    message(FATAL_ERROR "no subcommands found in ${PROGRAM} --help")
endif()

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
.SH COMMANDS
${commands}.SH FILES
.TP
.I ~/.config/OrderFlow/orderflow-dbadmin/profiles.json
Saved profiles (no passwords). \\fBORDERFLOW_DBADMIN_CONFIG_DIR\\fR overrides the folder.
.SH SEE ALSO
.BR psql (1),
.BR pg_service.conf (5)
")
