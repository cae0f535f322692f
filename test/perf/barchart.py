"""Draws a clustered bar chart of ratios as a PNG with gnuplot (Debian's
gnuplot-nox), for the performance scripts (docs/performance.md)."""
import os
import shutil
import subprocess
import sys
import tempfile


def draw(png, title, ylabel, categories, series, reference=1.0):
    """categories: the x labels; series: [(name, [value per category])].
    A dashed line at \\p reference marks parity with the peer."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        sys.exit("barchart: gnuplot not found: install the Debian package "
                 "gnuplot-nox (scripts/setup-deps.sh does)")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "ratios.dat")
        with open(data, "w") as f:
            f.write("category " + " ".join('"%s"' % n for n, _ in series) + "\n")
            for i, category in enumerate(categories):
                f.write('"%s" ' % category +
                        " ".join("%.4f" % values[i] for _, values in series) +
                        "\n")
        top = max(max(values) for _, values in series)
        script = "\n".join([
            'set terminal pngcairo size 1000,520 font "sans,11"',
            'set output "%s"' % png,
            'set title "%s"' % title,
            'set ylabel "%s"' % ylabel,
            "set yrange [0:%.3f]" % max(top * 1.15, reference * 1.2),
            "set style data histograms",
            "set style histogram clustered gap 1",
            "set style fill solid 0.85 border -1",
            "set boxwidth 0.9",
            "set key top left",
            "set grid ytics",
            "set xtics rotate by -20 noenhanced",
            "set arrow from graph 0, first %g to graph 1, first %g nohead "
            'dt 2 lw 2 lc rgb "black"' % (reference, reference),
            "plot " + ", ".join(
                '"%s" using %d:xtic(1) title columnhead(%d)'
                % (data, i + 2, i + 2) for i in range(len(series))),
        ])
        proc = subprocess.run([gnuplot], input=script, text=True,
                              capture_output=True)
        if proc.returncode != 0 or not os.path.exists(png):
            sys.exit("barchart: gnuplot failed to draw %s:\n%s"
                     % (png, proc.stderr))
