package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A recipe of {@code examples/recipes/} is the shipped routes plus the user's edit: each of its route files holds
 * every line of the shipped file of the same name, in order, and adds a few lines; a new route file is short. So a
 * change of a shipped route fails here until the recipes follow it.
 */
class RecipesTest {

    static final int MAX_ADDED = 30;

    @Test
    void everyRecipeIsTheShippedRoutesPlusAFewLines() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("examples/recipes"))) {
            files = s.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).as("recipes with route files").isNotEmpty();
        for (Path f : files) {
            assertThat(f.getParent().getFileName().toString()).as(f + " lies in the recipe's routes/").isEqualTo("routes");
            List<String> recipe = Files.readAllLines(f);
            Path shipped = Path.of("routes").resolve(f.getFileName());
            if (!Files.exists(shipped)) {
                assertThat(recipe.size()).as(f + ": a route file of the recipe's own").isLessThanOrEqualTo(MAX_ADDED * 2);
                continue;
            }
            List<String> base = Files.readAllLines(shipped);
            int i = 0;
            for (String line : recipe) {
                if (i < base.size() && base.get(i).equals(line)) {
                    i++;
                }
            }
            assertThat(i).as(f + " holds every line of " + shipped + " in order; the first one missing is: "
                    + (i < base.size() ? base.get(i) : "")).isEqualTo(base.size());
            assertThat(recipe.size() - base.size()).as(f + ": lines added to " + shipped)
                    .isBetween(1, MAX_ADDED);
        }
    }
}
