package dev.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws a {@link History}'s curves as PNG files with XChart, headless (no display needed). */
final class Plots {
    private Plots() {
    }

    static List<Path> write(History history, Path dir, int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("History.writePlots: image size must be at least 100x100 pixels, got "
                    + width + "x" + height);
        }
        // Plots are drawn on servers and in CI: never try to open a display.
        System.setProperty("java.awt.headless", "true");
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            double[] epochs = history.column("epoch");
            for (String figure : figures(history)) {
                XYChart chart = chart(figure, figure.equals("lr") ? "learning rate" : figure, width, height);
                if (figure.equals("lr")) {
                    add(chart, "lr", epochs, history.column("lr"));
                } else {
                    add(chart, "train", epochs, history.column("train_" + figure));
                    add(chart, "validation", epochs, history.column("val_" + figure));
                }
                Path file = dir.resolve(figure + ".png");
                BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("History.writePlots: cannot write into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** The figures in column order: each train_/val_ suffix once, then lr. */
    private static Set<String> figures(History history) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : history.columns()) {
            if (c.startsWith("train_")) {
                out.add(c.substring(6));
            } else if (c.startsWith("val_")) {
                out.add(c.substring(4));
            }
        }
        if (history.columns().contains("lr")) {
            out.add("lr");
        }
        return out;
    }

    private static XYChart chart(String figure, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(yTitle + " per epoch")
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setDecimalPattern(figure.equals("lr") ? "0.###E0" : "#0.####");
        return chart;
    }

    private static void add(XYChart chart, String name, double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (!xs.isEmpty()) {
            chart.addSeries(name, xs, ys);
        }
    }
}
