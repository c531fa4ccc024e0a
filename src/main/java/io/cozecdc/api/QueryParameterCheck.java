package io.cozecdc.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A query parameter the operation does not take is an error, not silently ignored: a misspelt flag
 * ({@code ?keepdocuments=true}, {@code ?keepDocument=true}) must not leave the destructive default in
 * force. Runs after matching, on the operation's own {@code @QueryParam} names; a 400 names each
 * unknown parameter and lists the ones the operation takes.
 */
public class QueryParameterCheck {

    private final Map<Method, Set<String>> known = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Set<String> given = request.getUriInfo().getQueryParameters().keySet();
        if (given.isEmpty()) {
            return;
        }
        Set<String> takes = known.computeIfAbsent(method, QueryParameterCheck::queryParams);
        List<FieldError> errors = new ArrayList<>();
        for (String name : new TreeSet<>(given)) {
            if (!takes.contains(name)) {
                String shown = Params.echo(name);
                errors.add(new FieldError(name.length() > Params.ECHO ? shown : name, "is not a parameter of this operation; "
                        + (takes.isEmpty() ? "it takes none" : "it takes " + String.join(", ", takes))));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static Set<String> queryParams(Method method) {
        Set<String> names = new TreeSet<>();
        for (Annotation[] annotations : method.getParameterAnnotations()) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                }
            }
        }
        return names;
    }
}
