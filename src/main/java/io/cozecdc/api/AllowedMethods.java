package io.cozecdc.api;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.HttpMethod;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;

import io.quarkus.arc.Arc;


/**
 * The methods a path of the API accepts, for the {@code Allow} header of a 405 (RESTEasy Reactive
 * throws its 405 without one). Read once from the JAX-RS annotations of the resource classes, which
 * Quarkus REST makes CDI beans, so this package names none of them (a new resource needs no entry
 * here, and the packages above it stay above it); like JAX-RS, the
 * templates with the most literal characters that match the path win ({@code /sync-configs/export}
 * over {@code /sync-configs/{id}}). ApiErrorsTest checks every documented path against it.
 */
final class AllowedMethods {

    private record Route(Pattern pattern, int literals, String method) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");
    private static final List<Route> ROUTES = read();

    private AllowedMethods() {
    }

    /** The methods {@code path} accepts, sorted; empty when no resource matches it. */
    static Set<String> of(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<Route> matching = ROUTES.stream().filter(r -> r.pattern().matcher(p).matches()).toList();
        int best = matching.stream().mapToInt(Route::literals).max().orElse(-1);
        Set<String> methods = new TreeSet<>();
        matching.stream().filter(r -> r.literals() == best).forEach(r -> methods.add(r.method()));
        return methods;
    }

    private static List<Route> read() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : resources()) {
            String base = resource.isAnnotationPresent(Path.class) ? resource.getAnnotation(Path.class).value() : "";
            for (Method m : resource.getMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                String sub = m.isAnnotationPresent(Path.class) ? m.getAnnotation(Path.class).value() : "";
                String template = join(base, sub);
                routes.add(new Route(regex(template), VARIABLE.matcher(template).replaceAll("").length(), verb));
            }
        }
        routes.sort(Comparator.comparing(Route::method));
        return List.copyOf(routes);
    }

    /** Every bean class with a JAX-RS {@code @Path}: the REST resources. */
    static List<Class<?>> resources() {
        return Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .<Class<?>>map(Bean::getBeanClass)
                .filter(c -> c.isAnnotationPresent(Path.class))
                .distinct()
                .toList();
    }

    private static String verb(Method m) {
        for (var a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static Pattern regex(String template) {
        StringBuilder out = new StringBuilder();
        Matcher v = VARIABLE.matcher(template);
        int last = 0;
        while (v.find()) {
            out.append(Pattern.quote(template.substring(last, v.start()))).append("[^/]+");
            last = v.end();
        }
        out.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(out.toString());
    }
}
