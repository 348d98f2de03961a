// libpq and OpenSSL, loaded on their first call instead of at start-up.
//
// Linked the usual way, libpq brings Kerberos, LDAP, SASL and OpenSSL with it: about 25
// shared libraries that the dynamic loader maps and relocates before main() runs, for a
// window that has not yet connected anywhere. Built with ORDERFLOW_LOAD_LIBPQ_ON_FIRST_USE,
// the program is not linked with them at all. Instead, this file defines each libpq and
// OpenSSL function the program calls, with the declaration from the library's own header,
// and the first call of any of them opens the library (by the soname the build linked
// against) and forwards to the real function. A mismatch between a definition here and the
// header is a compile error; a function missing here is a link error.

#include <libpq-fe.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace {

class SharedLibrary
{
public:
    explicit SharedLibrary(const char *soname)
        : m_soname(soname)
        , m_handle(dlopen(soname, RTLD_NOW | RTLD_LOCAL))
    {
        if (m_handle == nullptr)
            fail(dlerror());
    }

    void *symbol(const char *name) const
    {
        void *address = dlsym(m_handle, name);
        if (address == nullptr)
            fail(dlerror());
        return address;
    }

private:
    // As the dynamic loader does for a library linked the usual way: the program cannot go
    // on without it, and the message names the library.
    [[noreturn]] void fail(const char *error) const
    {
        std::fprintf(stderr, "orderflow-dbadmin: cannot load %s: %s\n", m_soname,
                     error != nullptr ? error : "unknown error");
        std::abort();
    }

    const char *m_soname;
    void *m_handle;
};

// Function-local statics: opened once, on the first call, safely from any thread.
const SharedLibrary &libpq()
{
    static const SharedLibrary library(ORDERFLOW_LIBPQ_SONAME);
    return library;
}

const SharedLibrary &libssl()
{
    static const SharedLibrary library(ORDERFLOW_LIBSSL_SONAME);
    return library;
}

const SharedLibrary &libcrypto()
{
    static const SharedLibrary library(ORDERFLOW_LIBCRYPTO_SONAME);
    return library;
}

} // namespace

// A definition of NAME, with the header's PARAMETERS, that calls the library's NAME with
// ARGUMENTS. The target is looked up once per function.
#define FORWARD(LIBRARY, RESULT, NAME, PARAMETERS, ARGUMENTS) \
    extern "C" RESULT NAME PARAMETERS \
    { \
        static const auto target = reinterpret_cast<decltype(&NAME)>(LIBRARY().symbol(#NAME)); \
        return target ARGUMENTS; \
    }

FORWARD(libpq, int, PQlibVersion, (void), ())
FORWARD(libpq, PQconninfoOption *, PQconndefaults, (void), ())
FORWARD(libpq, PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg),
        (conninfo, errmsg))
FORWARD(libpq, PQconninfoOption *, PQconninfo, (PGconn * conn), (conn))
FORWARD(libpq, void, PQconninfoFree, (PQconninfoOption * options), (options))
FORWARD(libpq, PGconn *, PQconnectStart, (const char *conninfo), (conninfo))
FORWARD(libpq, PGconn *, PQconnectStartParams,
        (const char *const *keywords, const char *const *values, int expandDbname),
        (keywords, values, expandDbname))
FORWARD(libpq, PGconn *, PQconnectdb, (const char *conninfo), (conninfo))
FORWARD(libpq, PGconn *, PQconnectdbParams,
        (const char *const *keywords, const char *const *values, int expandDbname),
        (keywords, values, expandDbname))
FORWARD(libpq, PostgresPollingStatusType, PQconnectPoll, (PGconn * conn), (conn))
FORWARD(libpq, void, PQfinish, (PGconn * conn), (conn))
FORWARD(libpq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQerrorMessage, (const PGconn *conn), (conn))
FORWARD(libpq, int, PQsocket, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQdb, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQuser, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQpass, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQhost, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQport, (const PGconn *conn), (conn))
FORWARD(libpq, int, PQserverVersion, (const PGconn *conn), (conn))
FORWARD(libpq, const char *, PQparameterStatus, (const PGconn *conn, const char *paramName),
        (conn, paramName))
FORWARD(libpq, int, PQconnectionUsedPassword, (const PGconn *conn), (conn))
FORWARD(libpq, int, PQsslInUse, (PGconn * conn), (conn))
FORWARD(libpq, const char *, PQsslAttribute, (PGconn * conn, const char *attributeName),
        (conn, attributeName))
FORWARD(libpq, void *, PQsslStruct, (PGconn * conn, const char *structName), (conn, structName))
FORWARD(libpq, PGVerbosity, PQsetErrorVerbosity, (PGconn * conn, PGVerbosity verbosity),
        (conn, verbosity))
FORWARD(libpq, PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))
FORWARD(libpq, PGresult *, PQexecParams,
        (PGconn * conn, const char *command, int nParams, const Oid *paramTypes,
         const char *const *paramValues, const int *paramLengths, const int *paramFormats,
         int resultFormat),
        (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(libpq, int, PQsendQuery, (PGconn * conn, const char *query), (conn, query))
FORWARD(libpq, int, PQsendPrepare,
        (PGconn * conn, const char *stmtName, const char *query, int nParams,
         const Oid *paramTypes),
        (conn, stmtName, query, nParams, paramTypes))
FORWARD(libpq, int, PQsendQueryPrepared,
        (PGconn * conn, const char *stmtName, int nParams, const char *const *paramValues,
         const int *paramLengths, const int *paramFormats, int resultFormat),
        (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(libpq, int, PQconsumeInput, (PGconn * conn), (conn))
FORWARD(libpq, int, PQisBusy, (PGconn * conn), (conn))
FORWARD(libpq, int, PQflush, (PGconn * conn), (conn))
FORWARD(libpq, PGresult *, PQgetResult, (PGconn * conn), (conn))
FORWARD(libpq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
FORWARD(libpq, char *, PQresultErrorMessage, (const PGresult *res), (res))
FORWARD(libpq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FORWARD(libpq, int, PQntuples, (const PGresult *res), (res))
FORWARD(libpq, int, PQnfields, (const PGresult *res), (res))
FORWARD(libpq, char *, PQfname, (const PGresult *res, int fieldNum), (res, fieldNum))
FORWARD(libpq, char *, PQgetvalue, (const PGresult *res, int tupNum, int fieldNum),
        (res, tupNum, fieldNum))
FORWARD(libpq, void, PQclear, (PGresult * res), (res))
FORWARD(libpq, char *, PQescapeLiteral, (PGconn * conn, const char *str, size_t len),
        (conn, str, len))
FORWARD(libpq, char *, PQescapeIdentifier, (PGconn * conn, const char *str, size_t len),
        (conn, str, len))
FORWARD(libpq, char *, PQencryptPasswordConn,
        (PGconn * conn, const char *passwd, const char *user, const char *algorithm),
        (conn, passwd, user, algorithm))
FORWARD(libpq, void, PQfreemem, (void *ptr), (ptr))
FORWARD(libpq, PGcancel *, PQgetCancel, (PGconn * conn), (conn))
FORWARD(libpq, void, PQfreeCancel, (PGcancel * cancel), (cancel))
FORWARD(libpq, int, PQcancel, (PGcancel * cancel, char *errbuf, int errbufsize),
        (cancel, errbuf, errbufsize))

// Only to read the server certificate's subject, issuer and expiry from libpq's SSL object,
// and OpenSSL's version for the About box.
FORWARD(libcrypto, const char *, OpenSSL_version, (int type), (type))
FORWARD(libssl, X509 *, SSL_get1_peer_certificate, (const SSL *ssl), (ssl))
FORWARD(libcrypto, X509_NAME *, X509_get_subject_name, (const X509 *certificate), (certificate))
FORWARD(libcrypto, X509_NAME *, X509_get_issuer_name, (const X509 *certificate), (certificate))
FORWARD(libcrypto, const ASN1_TIME *, X509_get0_notAfter, (const X509 *certificate), (certificate))
FORWARD(libcrypto, char *, X509_NAME_oneline, (const X509_NAME *name, char *buffer, int size),
        (name, buffer, size))
FORWARD(libcrypto, int, ASN1_TIME_to_tm, (const ASN1_TIME *time, struct tm *result), (time, result))
FORWARD(libcrypto, void, X509_free, (X509 * certificate), (certificate))
